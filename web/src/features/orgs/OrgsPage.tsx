import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ApiBody, ApiItem, ApiQuery } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { ORG_KINDS, type OrgKind } from './kinds';

type Org = ApiItem<'/api/v1/organisations'>;
type OrgInput = ApiBody<'post', '/api/v1/organisations'>;
type Filter = Omit<ApiQuery<'/api/v1/organisations'>, 'page' | 'pageSize'>;

/** Organisations of my jurisdiction: create at my node or below (down to township and village), disable, enable. */
export default function OrgsPage() {
  const { me, can } = useAuth();
  const { t, lang } = useI18n();
  const showError = useShowError();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Filter>({});
  const { tableProps, error } = usePagedTable('/api/v1/organisations', filter, {
    pagination: { showTotal: (n) => t(`共 ${n} 个`, `${n} in all`) },
  });
  const update = useApiMutation('patch', '/api/v1/organisations/{id}', { invalidate: ['/api/v1/organisations'] });
  const create = useApiMutation('post', '/api/v1/organisations', { invalidate: ['/api/v1/organisations'] });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<OrgInput>();
  const submit = useSubmit(form, (body) => create.mutateAsync({ body }), {
    successMessage: t('机构已创建', 'Organisation created'),
    onSuccess: () => setOpen(false),
    inline: true,
  });
  const kindLabel = (k: string) => (k in ORG_KINDS ? ORG_KINDS[k as OrgKind][lang === 'en' ? 1 : 0] : k);
  const kindOptions = (Object.keys(ORG_KINDS) as OrgKind[])
    .filter((k) => k !== 'operator' || me?.roles.some((r) => r.code === 'platform_admin'))
    .map((k) => ({ value: k, label: kindLabel(k) }));

  return (
    <Card
      title={t('机构管理', 'Organisations')}
      extra={
        can('org.create') && (
          <Button type="primary" onClick={() => setOpen(true)} data-testid="org-new">
            {t('新建机构', 'New organisation')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder={t('机构名称', 'Name')}
          allowClear
          onSearch={(q) => setFilter({ ...filter, q: q || undefined })}
          style={{ width: 220 }}
        />
        <Select
          placeholder={t('机构类型', 'Kind')}
          allowClear
          options={kindOptions}
          style={{ width: 160 }}
          onChange={(kind: OrgKind | undefined) => setFilter({ ...filter, kind })}
        />
        <DivisionPicker
          root={me?.scope}
          style={{ width: 240 }}
          placeholder={t('所在区划', 'Division')}
          onChange={(within) => setFilter({ ...filter, within })}
        />
      </Space>
      <ErrorText error={error} />
      <Table<Org>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name' },
          {
            title: t('类型', 'Kind'),
            dataIndex: 'kind',
            render: (k: string) => <Tag color={ORG_KINDS[k as OrgKind]?.[2]}>{kindLabel(k)}</Tag>,
          },
          {
            title: t('所在区划', 'Division'),
            dataIndex: 'divisionName',
            render: (n, o) => (
              <>
                {n || t('全国', 'National')} <code style={{ color: '#999' }}>{o.divisionCode}</code>
              </>
            ),
          },
          {
            title: t('联系人', 'Contact'),
            render: (_, o) => [o.contactName, o.contactPhone].filter(Boolean).join(' ') || '—',
          },
          {
            title: t('账号数', 'Accounts'),
            dataIndex: 'userCount',
            render: (n, o) => <a onClick={() => navigate(`/users?orgId=${o.id}`)}>{n}</a>,
          },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (s) =>
              s === 'active' ? (
                <Tag color="green">{t('正常', 'Active')}</Tag>
              ) : (
                <Tag color="red">{t('已停用', 'Disabled')}</Tag>
              ),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, o) =>
              can('org.update') && (
                <Popconfirm
                  title={
                    o.status === 'active'
                      ? t(
                          '停用后该机构所有账号将无法登录，确定吗？',
                          'All accounts of this organisation will be unable to log in. Disable?',
                        )
                      : t('确定启用？', 'Enable?')
                  }
                  onConfirm={() =>
                    update
                      .mutateAsync({
                        params: { path: { id: o.id } },
                        body: { status: o.status === 'active' ? 'disabled' : 'active' },
                      })
                      .catch(showError)
                  }
                >
                  <Button size="small" danger={o.status === 'active'}>
                    {o.status === 'active' ? t('停用', 'Disable') : t('启用', 'Enable')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('新建机构', 'New organisation')}
        okText={t('创建', 'Create')}
        okButtonProps={{ 'data-testid': 'org-submit' } as never}
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
            `只能在您的管辖范围（${me?.scopeName}）内创建机构，最低到乡镇和村。`,
            `You can create organisations only within your jurisdiction (${me?.scopeName}), down to township and village.`,
          )}
        />
        <ErrorText error={submit.error} />
        <Form form={form} layout="vertical" preserve={false} onFinish={submit.onFinish}>
          <Form.Item name="name" label={t('机构名称', 'Name')} rules={[{ required: true, min: 2 }]}>
            <Input data-testid="org-name" />
          </Form.Item>
          <Form.Item name="kind" label={t('机构类型', 'Kind')} rules={[{ required: true }]}>
            <Select options={kindOptions} data-testid="org-kind" />
          </Form.Item>
          <Form.Item name="divisionCode" label={t('所在区划', 'Division')} rules={[{ required: true }]}>
            <DivisionPicker root={me?.scope} rootName={me?.scopeName} allowRoot={me?.scope !== ''} maxLevel={5} />
          </Form.Item>
          <Form.Item name="contactName" label={t('联系人', 'Contact person')}>
            <Input />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('联系电话', 'Phone')}
            rules={[
              {
                pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
                message: t('请输入手机号或座机号（如 020-12345678）', 'A mobile or landline number, e.g. 020-12345678'),
              },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="address" label={t('地址', 'Address')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
