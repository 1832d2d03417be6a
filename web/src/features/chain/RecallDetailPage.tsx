import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  InputNumber,
  Modal,
  Progress,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { type ApiData, download } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';

type Notice = ApiData<'get', '/api/v1/recalls/{id}'>['notices'][number];
const NOTICE_COLORS: Record<Notice['status'], string> = { notified: 'orange', acknowledged: 'green', external: 'blue' };

/** 召回详情：进度、通知名单（含平台外联系人）、持有者确认、报告导出、结束召回。 */
export default function RecallDetailPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const path = { id };
  const r = useApiQuery('/api/v1/recalls/{id}', { params: { path } }, { enabled: !!id });
  const invalidate = ['/api/v1/recalls/{id}', '/api/v1/recalls'] as const;
  const acknowledge = useApiMutation('post', '/api/v1/recalls/{id}/acknowledge', { invalidate: [...invalidate] });
  const close = useApiMutation('post', '/api/v1/recalls/{id}/close', { invalidate: [...invalidate] });
  const [ack, setAck] = useState(false);
  const [recovered, setRecovered] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [closing, setClosing] = useState(false);
  const x = r.data;
  if (!x)
    return (
      <Card loading={r.isLoading}>
        <ErrorText error={r.error} />
      </Card>
    );
  const done = () => {
    setAck(false);
    setClosing(false);
    message.success(t('已提交', 'Done'));
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <>
            {t('召回', 'Recall')} {x.number}{' '}
            <Tag color={x.status === 'open' ? 'red' : 'default'}>{lang === 'en' ? x.statusNameEn : x.statusName}</Tag>
          </>
        }
        extra={
          <Space wrap>
            <Button
              onClick={() =>
                void download('/api/v1/recalls/{id}/report.xlsx', { params: { path } }, 'recall.xlsx').catch(showError)
              }
              data-testid="recall-xlsx"
            >
              {t('报告（Excel）', 'Report (Excel)')}
            </Button>
            <Button
              onClick={() =>
                void download('/api/v1/recalls/{id}/report.pdf', { params: { path } }, 'recall.pdf').catch(showError)
              }
            >
              {t('报告（PDF）', 'Report (PDF)')}
            </Button>
            <Button onClick={() => navigate(`/chain/trace/${x.batchId}`)}>{t('查看链条', 'View the chain')}</Button>
          </Space>
        }
      >
        {x.allowedActions.includes('acknowledge') && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            message={t(
              '您持有被召回的产品：请立即下架封存，并点击“确认收到召回通知”。',
              'You hold recalled goods: take them off sale now, then acknowledge.',
            )}
            action={
              <Button danger type="primary" size="large" onClick={() => setAck(true)} data-testid="recall-ack">
                {t('确认收到召回通知', 'Acknowledge')}
              </Button>
            }
          />
        )}
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('产品 / 批次', 'Product / batch')}>
            {x.productName} {x.batchNo} {x.code}
          </Descriptions.Item>
          <Descriptions.Item label={t('责任主体', 'Responsible subject')}>{x.subjectName}</Descriptions.Item>
          <Descriptions.Item label={t('级别', 'Level')}>
            {lang === 'en' ? x.levelNameEn : x.levelName}
          </Descriptions.Item>
          <Descriptions.Item label={t('原因', 'Reason')}>{x.reason}</Descriptions.Item>
        </Descriptions>
        <Space size={32} wrap style={{ marginTop: 12 }}>
          <Progress type="circle" percent={x.progress.percent} size={96} data-testid="recall-progress" />
          <Statistic title={t('覆盖批次', 'Lots covered')} value={x.progress.batches} />
          <Statistic title={t('平台内持有者', 'Holders in the platform')} value={x.progress.holders} />
          <Statistic title={t('已确认', 'Acknowledged')} value={x.progress.acknowledged} />
          <Statistic title={t('平台外（电话通知）', 'Outside (phone)')} value={x.progress.external} />
          <Statistic title={t('已追回', 'Recovered')} value={x.progress.recovered} />
        </Space>
        {x.allowedActions.includes('close') && (
          <div style={{ marginTop: 12 }}>
            <Button onClick={() => setClosing(true)}>{t('结束召回', 'Close the recall')}</Button>
          </div>
        )}
      </Card>
      <Card title={t('通知名单', 'Holders notified')}>
        <Table<Notice>
          rowKey="id"
          size="small"
          dataSource={x.notices}
          pagination={{ pageSize: 50 }}
          scroll={{ x: 'max-content' }}
          data-testid="recall-notices"
          columns={[
            { title: t('持有者', 'Holder'), dataIndex: 'holderName' },
            { title: t('联系人', 'Contact'), dataIndex: 'contactName' },
            {
              title: t('电话', 'Phone'),
              dataIndex: 'phone',
              render: (v: string | null) => (v ? <a href={`tel:${v}`}>{v}</a> : null),
            },
            { title: t('批次/凭证码', 'Code'), dataIndex: 'code' },
            {
              title: t('数量', 'Quantity'),
              render: (_, n) => (n.quantity === null ? '' : `${n.quantity}${n.unit ?? ''}`),
            },
            {
              title: t('状态', 'Status'),
              render: (_, n) => (
                <Tag color={NOTICE_COLORS[n.status]}>{lang === 'en' ? n.statusNameEn : n.statusName}</Tag>
              ),
            },
            {
              title: t('确认时间', 'Acknowledged'),
              dataIndex: 'acknowledgedAt',
              render: (v: string | null) => (v ? new Date(v).toLocaleString('zh-CN') : ''),
            },
          ]}
        />
      </Card>
      <Modal
        open={ack}
        title={t('确认收到召回通知', 'Acknowledge the recall')}
        okText={t('确认', 'Acknowledge')}
        onCancel={() => setAck(false)}
        okButtonProps={{ 'data-testid': 'recall-ack-ok' } as Record<string, string>}
        confirmLoading={acknowledge.isPending}
        onOk={() =>
          acknowledge
            .mutateAsync({
              params: { path },
              body: { ...(recovered !== null ? { recoveredQuantity: recovered } : {}), ...(note ? { note } : {}) },
            })
            .then(done, showError)
        }
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <InputNumber
            size="large"
            style={{ width: '100%' }}
            min={0}
            value={recovered}
            onChange={setRecovered}
            placeholder={t('已下架/追回数量（可不填）', 'Quantity taken off sale (optional)')}
          />
          <Input.TextArea
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('处理情况（可不填）', 'What you did (optional)')}
          />
        </Space>
      </Modal>
      <Modal
        open={closing}
        title={t('结束召回', 'Close the recall')}
        okButtonProps={{ disabled: note.trim().length < 2 }}
        onCancel={() => setClosing(false)}
        confirmLoading={close.isPending}
        onOk={() => close.mutateAsync({ params: { path }, body: { note } }).then(done, showError)}
      >
        <Input.TextArea
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('结束说明', 'Closing note')}
        />
      </Modal>
    </Space>
  );
}
