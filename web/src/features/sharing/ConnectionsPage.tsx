import { Button, Card, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { ApiBody, ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';

type Conn = ApiData<'get', '/api/v1/sharing/connections'>['items'][number];
type ApplyInput = ApiBody<'post', '/api/v1/sharing/connections/apply'>;

const STATUS_COLOR: Record<string, string> = {
  applied: 'gold',
  approved: 'green',
  rejected: 'red',
  suspended: 'default',
};

/** Upward sharing (信息归集): this platform's identity, its application upward, and every connection's health. */
export default function ConnectionsPage() {
  const { t, lang } = useI18n();
  const showError = useShowError();
  const { data, error, refetch } = useApiQuery('/api/v1/sharing/connections', undefined, { refetchInterval: 5000 });
  const act = useApiMutation('post', '/api/v1/sharing/connections/{id}/actions', {
    invalidate: ['/api/v1/sharing/connections'],
  });
  const apply = useApiMutation('post', '/api/v1/sharing/connections/apply', {
    invalidate: ['/api/v1/sharing/connections'],
  });
  const [form] = Form.useForm<ApplyInput>();
  const submit = useSubmit(form, (body) => apply.mutateAsync({ body }), {
    successMessage: t('申请已提交上级平台', 'Application sent to the upper platform'),
  });
  const p = data?.platform;
  const upper = data?.items.find((c) => c.direction === 'upper');
  const canApply = !!p?.upperPlatformUrl && (!upper || upper.status === 'rejected');
  const actionLabel = (a: Conn['allowedActions'][number]) =>
    ({
      approve: t('批准对接', 'Approve'),
      reject: t('驳回', 'Reject'),
      suspend: t('暂停', 'Suspend'),
      resume: t('恢复', 'Resume'),
    })[a];
  const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
  const columns = [
    {
      title: t('平台', 'Platform'),
      key: 'platform',
      render: (_: unknown, c: Conn) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{c.regionName ?? c.platformId}</Typography.Text>
          <Typography.Text type="secondary">
            {c.direction === 'upper' ? t('上级平台', 'Upper platform') : t('下级平台', 'Lower platform')} ·{' '}
            {c.platformId}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('状态', 'Status'),
      key: 'status',
      render: (_: unknown, c: Conn) => (
        <Space direction="vertical" size={0}>
          <Tag color={STATUS_COLOR[c.status]} data-testid={`status-${c.platformId}`}>
            {lang === 'en' ? c.statusLabel.en : c.statusLabel.zh}
          </Tag>
          {c.direction === 'upper' && c.peerStatus && c.peerStatus !== c.status && (
            <Typography.Text type="secondary">
              {t('上级平台：', 'Upper platform: ')}
              {c.peerStatus}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('最近成功', 'Last success'),
      dataIndex: 'lastSuccessAt',
      render: (v: string | null) => (v ? new Date(v).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') : '—'),
    },
    { title: t('滞后', 'Lag'), dataIndex: 'lagMs', render: (v: number) => seconds(v) },
    { title: t('积压', 'Backlog'), dataIndex: 'backlog' },
    {
      title: t('已接收 / 暂存', 'Received / parked'),
      key: 'received',
      render: (_: unknown, c: Conn) => (c.direction === 'lower' ? `${c.receivedCount} / ${c.parkedCount}` : '—'),
    },
    {
      title: t('错误', 'Errors'),
      key: 'errors',
      render: (_: unknown, c: Conn) =>
        c.lastError ? (
          <Typography.Text type="danger">
            {c.errorCount}× {c.lastError}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: t('操作', 'Actions'),
      key: 'actions',
      render: (_: unknown, c: Conn) => (
        <Space wrap>
          {c.allowedActions.map((a) => (
            <Button
              key={a}
              size="large"
              danger={a === 'reject' || a === 'suspend'}
              data-testid={`${a}-${c.platformId}`}
              onClick={() => act.mutateAsync({ params: { path: { id: c.id } }, body: { action: a } }).catch(showError)}
            >
              {actionLabel(a)}
            </Button>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card title={t('平台对接与信息归集', 'Platform connections and upward sharing')}>
        <ErrorText error={error} />
        {p && (
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('本平台', 'This platform')}>
              <span data-testid="platform-id">{p.platformId}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('上级平台地址', 'Upper platform')}>
              {p.upperPlatformUrl ?? t('无（国家平台）', 'None (national platform)')}
            </Descriptions.Item>
            <Descriptions.Item label={t('已产生共享记录', 'Records queued for sharing')}>
              {p.outboxLastSeq}
            </Descriptions.Item>
            <Descriptions.Item label={t('签名算法', 'Signature')}>SM2 / SM3</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      {canApply && (
        <Card title={t('向上级平台申请对接', 'Apply to the upper platform')}>
          <Form form={form} layout="vertical" onFinish={submit.onFinish} style={{ maxWidth: 480 }}>
            <Form.Item name="contactName" label={t('联系人', 'Contact')} rules={[{ required: true }]}>
              <Input size="large" maxLength={50} />
            </Form.Item>
            <Form.Item name="contactPhone" label={t('联系电话', 'Phone')} rules={[{ required: true }]}>
              <Input size="large" inputMode="tel" />
            </Form.Item>
            <Form.Item name="entryUrl" label={t('本平台入口地址（可选）', 'Entry URL of this platform (optional)')}>
              <Input size="large" placeholder="https://" />
            </Form.Item>
            <Button type="primary" size="large" htmlType="submit" loading={submit.submitting} data-testid="apply">
              {t('提交申请', 'Apply')}
            </Button>
          </Form>
        </Card>
      )}
      <Card
        title={t('对接状态', 'Connections')}
        extra={<Button onClick={() => refetch()}>{t('刷新', 'Refresh')}</Button>}
      >
        <Table<Conn>
          rowKey="id"
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Card>
    </Space>
  );
}
