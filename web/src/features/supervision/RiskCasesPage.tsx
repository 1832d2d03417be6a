import { Alert, App, Button, Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import type { ApiItem } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { label, type RiskCase, STATUS_COLORS, type TraceNode } from './api';

/** 风险处置 Failed test results: the county's list. */
export default function RiskCasesPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const list = usePagedTable('/api/v1/risk-cases', {});
  return (
    <Card title={t('风险处置（抽检不合格）', 'Risk cases (failed tests)')}>
      <ErrorText error={list.error} />
      <Table<ApiItem<'/api/v1/risk-cases'>>
        rowKey="id"
        {...list.tableProps}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ onClick: () => navigate(`/risk-cases/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('主体', 'Producer'), dataIndex: 'subjectName', render: (n) => <a>{n}</a> },
          { title: t('产品', 'Product'), dataIndex: 'productName' },
          { title: t('不合格项目', 'Failed items'), render: (_, r) => r.failedItems.map((f) => f.item).join('、') },
          {
            title: t('状态', 'Status'),
            render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{label(lang, r.statusZh, r.statusEn)}</Tag>,
          },
          {
            title: t('时间', 'When'),
            dataIndex: 'createdAt',
            render: (d: string) => new Date(d).toLocaleString('zh-CN'),
          },
        ]}
      />
    </Card>
  );
}

/** One risk case: failed items, the automatic trace, the proposed recall (one click to open), the credit entry. */
export function RiskCasePage() {
  const { t, lang } = useI18n();
  const { id } = useParams();
  const { message } = App.useApp();
  const showError = useShowError();
  const { can } = useAuth();
  const navigate = useNavigate();
  const r = useApiQuery('/api/v1/risk-cases/{id}', { params: { path: { id: id ?? '' } } }, { enabled: !!id });
  const actOn = useApiMutation('post', '/api/v1/risk-cases/{id}/actions', {
    invalidate: ['/api/v1/risk-cases', '/api/v1/risk-cases/{id}'],
  });
  const act = (action: RiskCase['allowedActions'][number]) =>
    actOn
      .mutateAsync({ params: { path: { id: id ?? '' } }, body: { action } })
      .then(() => message.success(action === 'openRecall' ? t('已启动召回', 'Recall opened') : t('已结案', 'Closed')))
      .catch(showError);
  if (r.error) return <ErrorText error={r.error} />;
  const c = r.data;
  if (!c) return <Card loading />;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={t('风险处置', 'Risk case')}
        extra={
          <Tag color={STATUS_COLORS[c.status]} data-testid="risk-status">
            {label(lang, c.statusZh, c.statusEn)}
          </Tag>
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t('主体', 'Producer')}>
            {c.subjectId && can('credit.read') ? (
              <a onClick={() => navigate(`/credit/${c.subjectId}`)} data-testid="risk-subject">
                {c.subjectName}
              </a>
            ) : (
              c.subjectName
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('产品', 'Product')}>{c.productName}</Descriptions.Item>
          <Descriptions.Item label={t('追溯码', 'Trace code')}>
            <code>{c.traceCode ?? c.proposedRecall.traceCode ?? '-'}</code>
          </Descriptions.Item>
          <Descriptions.Item label={t('主体所在地', 'Location')}>
            <DivisionName code={c.divisionCode} />
          </Descriptions.Item>
          <Descriptions.Item label={t('不合格项目', 'Failed items')} span={2}>
            {c.failedItems.map((f) => (
              <div key={f.item} data-testid="risk-item">
                {f.item}：{f.value ?? f.valueText} {f.unit}（{t('限量', 'limit')} {f.limit ?? '-'}，{f.standard}）
              </div>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('自动追溯', 'Automatic trace')} data-testid="risk-trace">
        {c.trace.status === 'available' ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert type="info" showIcon message={lang === 'en' ? c.trace.noteEn : c.trace.noteZh} />
            {(['backward', 'forward'] as const).map((dir) => (
              <Table<TraceNode>
                key={dir}
                size="small"
                rowKey="batchId"
                pagination={false}
                scroll={{ x: true }}
                dataSource={c.trace[dir]}
                title={() =>
                  dir === 'backward'
                    ? t('来源（向上追溯）', 'Sources (backward)')
                    : t('流向（向下追踪）', 'Destinations (forward)')
                }
                columns={[
                  { title: t('层级', 'Depth'), dataIndex: 'depth' },
                  {
                    title: t('批次', 'Batch'),
                    render: (_, n) => (
                      <a onClick={() => navigate(`/chain/trace/${n.batchId}`)}>{n.batchNo ?? n.code}</a>
                    ),
                  },
                  { title: t('持有主体', 'Holder'), dataIndex: 'subjectName' },
                  { title: t('库存', 'Stock'), render: (_, n) => `${n.stock} ${n.unit ?? ''}` },
                ]}
              />
            ))}
          </Space>
        ) : (
          <Alert type="warning" showIcon message={lang === 'en' ? c.trace.noteEn : c.trace.noteZh} />
        )}
      </Card>
      <Card title={t('建议召回', 'Proposed recall')}>
        <Typography.Paragraph>
          {lang === 'en' ? c.proposedRecall.reasonEn : c.proposedRecall.reasonZh}
        </Typography.Paragraph>
        <Typography.Paragraph>
          {t('召回范围', 'Scope')}：{lang === 'en' ? c.proposedRecall.scopeEn : c.proposedRecall.scopeZh}
        </Typography.Paragraph>
        {c.recallOpenedAt && (
          <Alert
            type="success"
            showIcon
            data-testid="recall-opened"
            style={{ marginBottom: 12 }}
            message={t(
              `已于 ${new Date(c.recallOpenedAt).toLocaleString('zh-CN')} 启动召回${c.recallId ? '' : '（样品无本平台批次码，已登记召回，请人工通知持有人）'}`,
              `Recall opened ${new Date(c.recallOpenedAt).toLocaleString()}${c.recallId ? '' : ' (no batch of this platform: notify holders by hand)'}`,
            )}
            action={
              c.recallId && (
                <Button onClick={() => navigate(`/chain/recalls/${c.recallId}`)}>
                  {t('查看召回进度', 'Recall progress')}
                </Button>
              )
            }
          />
        )}
        <Space wrap>
          {c.allowedActions.includes('openRecall') && (
            <Button type="primary" danger size="large" data-testid="open-recall" onClick={() => act('openRecall')}>
              {t('一键启动召回', 'Open the recall')}
            </Button>
          )}
          {c.allowedActions.includes('close') && (
            <Button size="large" onClick={() => act('close')}>
              {t('结案', 'Close')}
            </Button>
          )}
          {can('enforcement.manage') && (
            <Button
              size="large"
              data-testid="risk-to-case"
              onClick={() =>
                navigate(
                  `/enforcement/cases?new=1&sourceType=risk_case&sourceId=${c.id}${c.subjectId ? `&subjectId=${c.subjectId}` : ''}&productName=${encodeURIComponent(c.productName)}&traceCode=${encodeURIComponent(c.traceCode ?? '')}`,
                )
              }
            >
              {t('移送执法立案', 'Open an enforcement case')}
            </Button>
          )}
        </Space>
        {!c.allowedActions.length && c.status === 'open' && (
          <Empty description={t('由主体所在县监管机构处置', 'Handled by the producer’s county')} />
        )}
      </Card>
    </Space>
  );
}
