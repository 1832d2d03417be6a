import { Button, Card, Checkbox, Form, Input, Result, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody, ApiItem } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';
import { SCOPE_LABELS, type Scope } from './scopes';

/** The producer's own tabs: its county's agreement, its sub-accounts, its agency authorisations. */

export function AgreementTab() {
  const { t, lang } = useI18n();
  const showError = useShowError();
  const { data, error } = useApiQuery('/api/v1/my-subject/agreement');
  const sign = useApiMutation('post', '/api/v1/my-subject/agreement', { invalidate: ['/api/v1/my-subject/agreement'] });
  // Each required clause is ticked by the producer itself: nothing is pre-ticked.
  const [ticked, setTicked] = useState<string[]>([]);
  if (error) return <ErrorText error={error} />;
  if (!data) return null;
  const template = data.template;
  if (!template)
    return <Result status="info" title={t('本县尚未发布追溯协议', 'No agreement published by your county yet')} />;
  const canSign = data.allowedActions.includes('sign');
  const all = template.clauses.length > 0 && template.clauses.every((c) => ticked.includes(c.key));
  return (
    <Card type="inner" title={`${template.title}（${t('第', 'v')}${template.version}${t('版', '')}）`}>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{template.body}</Typography.Paragraph>
      {template.clauses.map((c) => (
        <Typography.Paragraph key={c.key}>
          {canSign ? (
            <Checkbox
              data-testid={`accept-${c.key}`}
              checked={ticked.includes(c.key)}
              onChange={(e) => setTicked((x) => (e.target.checked ? [...x, c.key] : x.filter((k) => k !== c.key)))}
            >
              <Typography.Text strong>{lang === 'en' ? c.nameEn : c.name}：</Typography.Text>
              {c.text}
            </Checkbox>
          ) : (
            <>
              <Typography.Text strong>{lang === 'en' ? c.nameEn : c.name}：</Typography.Text>
              {c.text}
            </>
          )}
        </Typography.Paragraph>
      ))}
      {template.missingClauses.length > 0 && (
        <Typography.Paragraph type="warning">
          {t(
            `本版本缺少必备条款（${template.missingClauses.map((c) => c.name).join('、')}），待县级发布完整版本后签订`,
            `This version lacks required clauses (${template.missingClauses.map((c) => c.nameEn).join(', ')}); wait for a complete version`,
          )}
        </Typography.Paragraph>
      )}
      {data.signedCurrent && (
        <Tag color={data.state === 'signed' ? 'green' : 'orange'}>
          {lang === 'en' ? data.stateNameEn : data.stateName} ·{' '}
          {t(`本主体于 ${data.signedAt?.slice(0, 10)} 签订`, `accepted on ${data.signedAt?.slice(0, 10)}`)}
          {data.countySignedAt &&
            t(
              `；${data.countyOrgName ?? ''} ${data.countySignerName ?? ''} 于 ${data.countySignedAt.slice(0, 10)} 签署`,
              `; countersigned by ${data.countyOrgName ?? ''} ${data.countySignerName ?? ''} on ${data.countySignedAt.slice(0, 10)}`,
            )}
        </Tag>
      )}
      {canSign && (
        <Button
          type="primary"
          size="large"
          disabled={!all}
          loading={sign.isPending}
          data-testid="agreement-sign"
          onClick={() =>
            sign
              .mutateAsync({ body: { templateId: template.id, acceptedClauses: template.clauses.map((c) => c.key) } })
              .catch(showError)
          }
        >
          {all
            ? t('我已阅读并同意全部条款', 'I have read and accept every clause')
            : t('请逐条勾选同意', 'Tick each clause')}
        </Button>
      )}
    </Card>
  );
}

type Staff = ApiItem<'/api/v1/my-subject/staff'>;
type StaffInput = ApiBody<'post', '/api/v1/my-subject/staff'>;

export function StaffTab() {
  const { t } = useI18n();
  const showError = useShowError();
  const { data, error } = useApiQuery('/api/v1/my-subject/staff');
  const create = useApiMutation('post', '/api/v1/my-subject/staff', { invalidate: ['/api/v1/my-subject/staff'] });
  const update = useApiMutation('patch', '/api/v1/my-subject/staff/{id}', {
    invalidate: ['/api/v1/my-subject/staff'],
  });
  const [form] = Form.useForm<StaffInput>();
  const submit = useSubmit(form, (body) => create.mutateAsync({ body }), { onSuccess: () => form.resetFields() });
  return (
    <>
      <ErrorText error={error} />
      <Table<Staff>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data?.items ?? []}
        columns={[
          { title: t('用户码', 'User code'), dataIndex: 'userCode' },
          { title: t('用户名', 'Username'), dataIndex: 'username' },
          { title: t('姓名', 'Name'), dataIndex: 'displayName' },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (st: Staff['status'], a) =>
              a.main ? (
                t('主账号', 'Main')
              ) : (
                <Button
                  size="small"
                  onClick={() =>
                    update
                      .mutateAsync({
                        params: { path: { id: a.id } },
                        body: { status: st === 'active' ? 'disabled' : 'active' },
                      })
                      .catch(showError)
                  }
                >
                  {st === 'active' ? t('停用', 'Disable') : t('启用', 'Enable')}
                </Button>
              ),
          },
        ]}
      />
      <Form form={form} layout="inline" style={{ marginTop: 12 }} onFinish={submit.onFinish}>
        <Form.Item name="username" rules={[{ required: true }]}>
          <Input placeholder={t('用户名', 'Username')} />
        </Form.Item>
        <Form.Item name="displayName" rules={[{ required: true }]}>
          <Input placeholder={t('姓名', 'Name')} />
        </Form.Item>
        <Form.Item name="password" rules={[{ required: true, min: 8 }]}>
          <Input.Password placeholder={t('初始密码', 'Initial password')} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={submit.submitting}>
          {t('新建子账号', 'Add')}
        </Button>
      </Form>
    </>
  );
}

type Authorisation = ApiItem<'/api/v1/my-subject/authorisations'>;
type GrantInput = ApiBody<'post', '/api/v1/my-subject/authorisations'>;
const AUTHORISATIONS = '/api/v1/my-subject/authorisations';

export function AuthorisationsTab() {
  const { t } = useI18n();
  const showError = useShowError();
  const { data } = useApiQuery(AUTHORISATIONS);
  const { data: agencies } = useApiQuery('/api/v1/my-subject/available-agencies');
  const grant = useApiMutation('post', AUTHORISATIONS, { invalidate: [AUTHORISATIONS] });
  const revoke = useApiMutation('post', '/api/v1/my-subject/authorisations/{id}/revoke', {
    invalidate: [AUTHORISATIONS],
  });
  const SC = Object.fromEntries(Object.entries(SCOPE_LABELS).map(([k, [zh, en]]) => [k, t(zh, en)])) as Record<
    Scope,
    string
  >;
  const [form] = Form.useForm<GrantInput>();
  const submit = useSubmit(form, (body) => grant.mutateAsync({ body }), { onSuccess: () => form.resetFields() });
  return (
    <>
      <Form form={form} layout="inline" style={{ marginBottom: 12 }} onFinish={submit.onFinish}>
        <Form.Item name="agencyOrgId" rules={[{ required: true }]}>
          <Select
            style={{ width: 260 }}
            placeholder={t('选择服务机构', 'Choose an agency')}
            options={(agencies?.items ?? []).map((a) => ({ value: a.orgId, label: a.name }))}
          />
        </Form.Item>
        <Form.Item name="scopes" rules={[{ required: true }]}>
          <Checkbox.Group options={(Object.keys(SC) as Scope[]).map((value) => ({ value, label: SC[value] }))} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={submit.submitting}>
          {t('授权', 'Authorise')}
        </Button>
      </Form>
      <Table<Authorisation>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data?.items ?? []}
        columns={[
          { title: t('服务机构', 'Agency'), dataIndex: 'agencyName' },
          {
            title: t('授权范围', 'Scopes'),
            dataIndex: 'scopes',
            render: (s: Scope[]) => s.map((x) => <Tag key={x}>{SC[x] ?? x}</Tag>),
          },
          { title: t('授权时间', 'Granted'), dataIndex: 'grantedAt', render: (d: string) => d.slice(0, 10) },
          {
            title: '',
            render: (_, a) =>
              a.allowedActions.includes('revoke') ? (
                <Button
                  size="small"
                  danger
                  onClick={() => revoke.mutateAsync({ params: { path: { id: a.id } } }).catch(showError)}
                >
                  {t('撤回', 'Revoke')}
                </Button>
              ) : (
                t('已撤回', 'Revoked')
              ),
          },
        ]}
      />
    </>
  );
}
