import { keepPreviousData } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiBody, ApiItem, ApiQuery } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';

type User = ApiItem<'/api/v1/users'>;
type UserInput = ApiBody<'post', '/api/v1/users'>;
type Filter = Omit<ApiQuery<'/api/v1/users'>, 'page' | 'pageSize'>;

/** Accounts of my jurisdiction: create (first login forces a password change), disable, reset password. */
export default function UsersPage() {
  const { can } = useAuth();
  const { t, lang } = useI18n();
  const { modal } = App.useApp();
  const showError = useShowError();
  const [params] = useSearchParams();
  const [filter, setFilter] = useState<Filter>({ orgId: params.get('orgId') ?? undefined });
  const { tableProps, error } = usePagedTable('/api/v1/users', filter, {
    pagination: { showTotal: (n) => t(`共 ${n} 个`, `${n} in all`) },
  });
  const roles = useApiQuery('/api/v1/roles');
  const [orgSearch, setOrgSearch] = useState('');
  const orgs = useApiQuery(
    '/api/v1/organisations',
    { params: { query: { q: orgSearch, status: 'active', pageSize: 50 } } },
    { placeholderData: keepPreviousData },
  );
  const invalidate = { invalidate: ['/api/v1/users' as const] };
  const create = useApiMutation('post', '/api/v1/users', invalidate);
  const update = useApiMutation('patch', '/api/v1/users/{id}', invalidate);
  const reset = useApiMutation('post', '/api/v1/users/{id}/reset-password', invalidate);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<UserInput>();
  const submit = useSubmit(form, (body) => create.mutateAsync({ body }), {
    inline: true,
    onSuccess: (r) => {
      setOpen(false);
      if (r.initialPassword) showSecret(t('账号已创建', 'Account created'), r.initialPassword, r.user.username);
    },
  });
  const orgId = Form.useWatch('orgId', form);
  const orgKind = orgs.data?.items.find((o) => o.id === orgId)?.kind;
  const roleName = (code: string) => {
    const r = roles.data?.items.find((x) => x.code === code);
    return r ? (lang === 'en' ? r.en : r.zh) : code;
  };
  // The server says which roles this caller may grant; the chosen organisation's kind narrows them.
  const grantable = (roles.data?.items ?? []).filter((r) => r.grantable && (!orgKind || r.orgKinds.includes(orgKind)));

  const showSecret = (title: string, password: string, username: string) =>
    modal.success({
      title,
      content: (
        <div>
          <p>
            {t(
              '请把以下信息告知使用人。首次登录后须立即修改密码。此密码只显示这一次。',
              'Give these to the account holder. They must change the password at first login. The password is shown only once.',
            )}
          </p>
          <Typography.Paragraph>
            {t('用户名：', 'Username: ')}
            <Typography.Text code copyable>
              {username}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph>
            {t('初始密码：', 'Password: ')}
            <Typography.Text code copyable data-testid="initial-password">
              {password}
            </Typography.Text>
          </Typography.Paragraph>
        </div>
      ),
    });

  return (
    <Card
      title={t('账号管理', 'Accounts')}
      extra={
        can('user.create') && (
          <Button type="primary" onClick={() => setOpen(true)} data-testid="user-new">
            {t('新建账号', 'New account')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder={t('用户名或姓名', 'Username or name')}
          allowClear
          onSearch={(q) => setFilter({ ...filter, q: q || undefined })}
          style={{ width: 220 }}
        />
        {filter.orgId && (
          <Tag closable onClose={() => setFilter({ ...filter, orgId: undefined })}>
            {t('按机构筛选', 'Filtered by organisation')}
          </Tag>
        )}
      </Space>
      <ErrorText error={error} />
      <Table<User>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('用户名', 'Username'), dataIndex: 'username', render: (u) => <code>{u}</code> },
          { title: t('姓名', 'Name'), dataIndex: 'displayName' },
          { title: t('机构', 'Organisation'), dataIndex: 'orgName' },
          {
            title: t('角色', 'Roles'),
            dataIndex: 'roles',
            render: (rs: string[]) => rs.map((r) => <Tag key={r}>{roleName(r)}</Tag>),
          },
          {
            title: t('状态', 'Status'),
            render: (_, u) => (
              <Space size={2} wrap>
                {u.status === 'active' ? (
                  <Tag color="green">{t('正常', 'Active')}</Tag>
                ) : (
                  <Tag color="red">{t('已停用', 'Disabled')}</Tag>
                )}
                {u.locked && <Tag color="orange">{t('已锁定', 'Locked')}</Tag>}
                {u.mustChangePassword && <Tag>{t('待改密', 'Must change password')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, u) => (
              <Space wrap>
                {u.allowedActions.includes('resetPassword') && (
                  <Popconfirm
                    title={t(
                      '重置后原密码失效、账号解锁，确定吗？',
                      'The old password stops working and the account is unlocked. Reset?',
                    )}
                    onConfirm={() =>
                      reset
                        .mutateAsync({ params: { path: { id: u.id } } })
                        .then((r) => {
                          showSecret(t('密码已重置', 'Password reset'), r.temporaryPassword, u.username);
                        })
                        .catch(showError)
                    }
                  >
                    <Button size="small">{t('重置密码', 'Reset password')}</Button>
                  </Popconfirm>
                )}
                {(u.allowedActions.includes('disable') || u.allowedActions.includes('enable')) && (
                  <Popconfirm
                    title={
                      u.allowedActions.includes('disable')
                        ? t(
                            '停用后该账号立即下线且不能登录，确定吗？',
                            'The account is logged out and cannot log in. Disable?',
                          )
                        : t('确定启用？', 'Enable?')
                    }
                    onConfirm={() =>
                      update
                        .mutateAsync({
                          params: { path: { id: u.id } },
                          body: { status: u.allowedActions.includes('disable') ? 'disabled' : 'active' },
                        })
                        .catch(showError)
                    }
                  >
                    <Button size="small" danger={u.allowedActions.includes('disable')}>
                      {u.allowedActions.includes('disable') ? t('停用', 'Disable') : t('启用', 'Enable')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('新建账号', 'New account')}
        okText={t('创建', 'Create')}
        okButtonProps={{ 'data-testid': 'user-submit' } as never}
        onCancel={() => {
          setOpen(false);
          submit.clearError();
        }}
        onOk={() => form.submit()}
        confirmLoading={submit.submitting}
        destroyOnHidden
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            '系统会生成初始密码，使用人首次登录时须修改。',
            'An initial password is generated; the holder must change it at first login.',
          )}
        />
        <ErrorText error={submit.error} />
        <Form form={form} layout="vertical" preserve={false} onFinish={submit.onFinish}>
          <Form.Item name="orgId" label={t('所属机构', 'Organisation')} rules={[{ required: true }]}>
            <Select
              showSearch
              filterOption={false}
              onSearch={setOrgSearch}
              options={(orgs.data?.items ?? []).map((o) => ({
                value: o.id,
                label: `${o.name}（${o.divisionName || '全国'}）`,
              }))}
              data-testid="user-org"
            />
          </Form.Item>
          <Form.Item
            name="username"
            label={t('用户名', 'Username')}
            extra={t('字母开头，3–32 位字母、数字、_ . -', 'Starts with a letter; 3–32 letters, digits, _ . -')}
            rules={[
              { required: true },
              { pattern: /^[A-Za-z][A-Za-z0-9_.-]{2,31}$/, message: t('格式不正确', 'Wrong format') },
            ]}
          >
            <Input autoComplete="off" data-testid="user-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t('姓名', 'Name')} rules={[{ required: true }]}>
            <Input data-testid="user-name" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('手机号', 'Mobile')}
            rules={[
              {
                pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
                message: t('请输入正确的电话号码', 'Enter a valid phone number'),
              },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="roles" label={t('角色', 'Roles')} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              options={grantable.map((r) => ({ value: r.code, label: lang === 'en' ? r.en : r.zh }))}
              data-testid="user-roles"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
