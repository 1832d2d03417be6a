import { Alert, Button, Card, Form, Input, InputNumber, Modal, Progress, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ApiBody, ApiItem } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';

type RecallRow = ApiItem<'/api/v1/recalls'>;
type NetworkRow = ApiItem<'/api/v1/network/recalls'>;
type NetworkInput = ApiBody<'post', '/api/v1/network/recalls'>;

/** Acknowledged of holders; `none` is the percent shown without holders (100 here, 0 while nobody reported). */
const ackProgress = (r: { holders: number; acknowledged: number }, none: number) => (
  <Progress
    style={{ width: 140 }}
    percent={r.holders ? Math.round((r.acknowledged / r.holders) * 100) : none}
    format={() => `${r.acknowledged}/${r.holders}`}
  />
);

export default function RecallsPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const national = me?.platformTier === 'national';
  const navigate = useNavigate();
  const { tableProps, error } = usePagedTable('/api/v1/recalls', {}, { pageSize: 50 });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {national && <NetworkRecalls />}
      <Card title={national ? t('本平台的召回', 'Recalls on this platform') : t('召回', 'Recalls')}>
        <ErrorText error={error} />
        <Table<RecallRow>
          rowKey="id"
          {...tableProps}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ onClick: () => navigate(`/chain/recalls/${r.id}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('编号', 'Number'), dataIndex: 'number' },
            { title: t('产品 / 批次', 'Product / batch'), render: (_, r) => `${r.productName} ${r.batchNo}` },
            { title: t('原因', 'Reason'), dataIndex: 'reason' },
            {
              title: t('状态', 'Status'),
              render: (_, r) => (
                <Tag color={r.status === 'open' ? 'red' : 'default'}>
                  {lang === 'en' ? r.statusNameEn : r.statusName}
                </Tag>
              ),
            },
            {
              title: t('确认进度', 'Acknowledged'),
              render: (_, r) => ackProgress(r, 100),
            },
            {
              title: t('发起时间', 'Opened'),
              dataIndex: 'openedAt',
              render: (v: string) => new Date(v).toLocaleString('zh-CN'),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** At national: recalls across platforms (sent down to the holders' platforms), and opening one by trace code. */
function NetworkRecalls() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { tableProps, error } = usePagedTable('/api/v1/network/recalls', {}, { pageSize: 20 });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<NetworkInput>();
  const create = useApiMutation('post', '/api/v1/network/recalls', { invalidate: ['/api/v1/network/recalls'] });
  const submit = useSubmit(form, (v: NetworkInput) => create.mutateAsync({ body: { ...v, code: v.code.trim() } }));
  return (
    <Card
      title={t('跨平台召回', 'Recalls across platforms')}
      extra={
        can('recall.open') && (
          <Button danger type="primary" onClick={() => setOpen(true)} data-testid="network-recall-open">
            {t('发起跨平台召回', 'Open a recall across platforms')}
          </Button>
        )
      }
    >
      <ErrorText error={error} />
      <Table<NetworkRow>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        data-testid="network-recalls"
        onRow={(r) => ({ onClick: () => navigate(`/chain/network-recalls/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('编号', 'Number'), dataIndex: 'number' },
          { title: t('追溯码', 'Code'), render: (_, r) => <span data-userdata>{r.code}</span> },
          { title: t('原因', 'Reason'), render: (_, r) => <span data-userdata>{r.reason}</span> },
          { title: t('涉及平台', 'Platforms'), dataIndex: 'platforms' },
          { title: t('确认进度', 'Acknowledged'), render: (_, r) => ackProgress(r, 0) },
          {
            title: t('发起时间', 'Opened'),
            dataIndex: 'openedAt',
            render: (v: string) => new Date(v).toLocaleString('zh-CN'),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('发起跨平台召回', 'Open a recall across platforms')}
        okText={t('发起召回并通知各平台', 'Open and notify the platforms')}
        okButtonProps={{ danger: true, ...({ 'data-testid': 'network-recall-confirm' } as Record<string, string>) }}
        confirmLoading={submit.submitting}
        onCancel={() => setOpen(false)}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null);
          if (!v) return;
          const r = await submit.onFinish(v);
          if (!r) return;
          setOpen(false);
          navigate(`/chain/network-recalls/${r.id}`);
        }}
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            '沿共享的链条找出该批次及其所有下游批次，把召回通知下发到持有者所在的各省平台；各平台回报的进度显示在召回详情中。',
            'The lot and everything downstream are found over the shared chain; each holder’s platform gets the notice and reports its progress back here.',
          )}
        />
        <Form form={form} layout="vertical" initialValues={{ level: 2 }}>
          <Form.Item
            name="code"
            label={t('追溯码（任一平台签发）', 'Trace code (from any platform)')}
            rules={[{ required: true, min: 8, message: t('请输入追溯码', 'Enter the trace code') }]}
          >
            <Input data-testid="network-recall-code" />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('召回原因', 'Reason')}
            rules={[{ required: true, min: 2, message: t('请写明原因', 'Give the reason') }]}
          >
            <Input.TextArea rows={3} data-testid="network-recall-reason" />
          </Form.Item>
          <Form.Item name="level" label={t('召回级别（1 最严重）', 'Level (1 = most serious)')}>
            <InputNumber min={1} max={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
