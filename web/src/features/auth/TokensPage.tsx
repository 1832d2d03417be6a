import { Alert, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody, ApiItem } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';
import { useVerbName } from '../../shared/useVerbName';

type Token = ApiItem<'/api/v1/auth/tokens'>;
type TokenInput = ApiBody<'post', '/api/v1/auth/tokens'>;

/** API tokens for machine clients (packing lines, provincial platforms): limited verbs, shown once. */
export default function TokensPage() {
  const { me } = useAuth();
  const { t } = useI18n();
  const verbName = useVerbName();
  const showError = useShowError();
  const { data, error, isFetching } = useApiQuery('/api/v1/auth/tokens');
  const create = useApiMutation('post', '/api/v1/auth/tokens', { invalidate: ['/api/v1/auth/tokens'] });
  const revoke = useApiMutation('delete', '/api/v1/auth/tokens/{id}', { invalidate: ['/api/v1/auth/tokens'] });
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string>();
  const [form] = Form.useForm<TokenInput>();
  const submit = useSubmit(form, (body) => create.mutateAsync({ body }), { onSuccess: (r) => setSecret(r.token) });
  return (
    <Card
      title={t('API 令牌', 'API tokens')}
      extra={
        <Button type="primary" onClick={() => setOpen(true)}>
          {t('新建令牌', 'New token')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        {t(
          '供生产线、省级平台等机器客户端调用接口使用。令牌只拥有创建时选定的权限，可随时吊销。',
          'For machine clients such as packing lines and provincial platforms. A token holds only the permissions chosen at creation and can be revoked at any time.',
        )}
      </Typography.Paragraph>
      <ErrorText error={error} />
      <Table<Token>
        rowKey="id"
        loading={isFetching}
        dataSource={data?.items}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name' },
          { title: t('前缀', 'Prefix'), dataIndex: 'prefix', render: (p) => <code>{p}…</code> },
          {
            title: t('权限', 'Permissions'),
            dataIndex: 'verbs',
            render: (v: string[]) => v.map((x) => <Tag key={x}>{verbName(x)}</Tag>),
          },
          {
            title: t('最近使用', 'Last used'),
            dataIndex: 'lastUsedAt',
            render: (d) => (d ? new Date(d).toLocaleString() : '—'),
          },
          {
            title: t('状态', 'Status'),
            render: (_, r) =>
              r.revokedAt ? (
                <Tag color="red">{t('已吊销', 'Revoked')}</Tag>
              ) : (
                <Tag color="green">{t('有效', 'Active')}</Tag>
              ),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, r) =>
              !r.revokedAt && (
                <Popconfirm
                  title={t(
                    '吊销后使用此令牌的客户端将立即失效，确定吗？',
                    'Clients using this token stop working at once. Revoke?',
                  )}
                  onConfirm={() => revoke.mutateAsync({ params: { path: { id: r.id } } }).catch(showError)}
                >
                  <Button danger size="small">
                    {t('吊销', 'Revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('新建 API 令牌', 'New API token')}
        onCancel={() => {
          setOpen(false);
          setSecret(undefined);
          form.resetFields();
        }}
        footer={secret ? null : undefined}
        onOk={() => form.submit()}
        confirmLoading={submit.submitting}
      >
        {secret ? (
          <Alert
            type="success"
            showIcon
            message={t(
              '令牌已创建，仅显示这一次，请立即复制保存：',
              'Token created. It is shown only once: copy it now:',
            )}
            description={
              <Typography.Paragraph copyable code style={{ wordBreak: 'break-all' }}>
                {secret}
              </Typography.Paragraph>
            }
          />
        ) : (
          <Form form={form} layout="vertical" onFinish={submit.onFinish}>
            <Form.Item name="name" label={t('名称（用途）', 'Name (purpose)')} rules={[{ required: true }]}>
              <Input placeholder={t('例如：1号包装线', 'e.g. packing line 1')} />
            </Form.Item>
            <Form.Item name="verbs" label={t('权限', 'Permissions')} rules={[{ required: true }]}>
              <Select
                mode="multiple"
                options={(me?.verbs ?? []).map((v) => ({ value: v, label: verbName(v) }))}
                optionFilterProp="label"
              />
            </Form.Item>
            <Form.Item name="expiresInDays" label={t('有效期（天，可空）', 'Valid for (days, optional)')}>
              <InputNumber min={1} max={3650} style={{ width: '100%' }} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </Card>
  );
}
