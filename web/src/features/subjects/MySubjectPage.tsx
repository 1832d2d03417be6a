import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Result, Select, Space, Steps, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { download, get, patch, post, api } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { APP_KINDS, INDUSTRIES, ORG_FORMS, STATUSES, type SubjectDetail } from './labels';
import { SubjectFields, type UploadedFile, fieldsOf } from './SubjectForm';

export function StatusTag({ status }: { status: string }) {
  const { lang } = useI18n();
  const s = STATUSES[status];
  return <Tag color={s?.[2]} data-testid="subject-status">{s ? (lang === 'en' ? s[1] : s[0]) : status}</Tag>;
}

const CHANGE_LABELS: Record<string, [string, string]> = {
  name: ['名称', 'Name'], subjectType: ['主体类型', 'Type'], isSlaughterhouse: ['屠宰厂', 'Slaughterhouse'], industries: ['行业', 'Industries'], legalPersonName: ['法定代表人', 'Legal person'],
  legalPersonPhone: ['负责人电话', 'Legal person phone'], contactName: ['联系人', 'Contact'], contactPhone: ['联系电话', 'Phone'], contactEmail: ['邮箱', 'Email'], address: ['地址', 'Address'],
  divisionCode: ['区划', 'Division'], longitude: ['经度', 'Longitude'], latitude: ['纬度', 'Latitude'], certifications: ['认证', 'Certifications'],
};

export function History({ apps }: { apps: SubjectDetail['applications'] }) {
  const { t, lang } = useI18n();
  return (
    <Table
      rowKey="id" size="small" pagination={false} dataSource={apps} scroll={{ x: true }}
      columns={[
        { title: t('类型', 'Kind'), dataIndex: 'kind', render: (k) => (lang === 'en' ? APP_KINDS[k]?.[1] : APP_KINDS[k]?.[0]) },
        { title: t('提交时间', 'Submitted'), dataIndex: 'submittedAt', render: (d) => new Date(d).toLocaleString() },
        { title: t('审核期限', 'Due'), dataIndex: 'dueDate', render: (d, a) => <span style={{ color: a.overdue ? '#cf1322' : undefined }}>{d}{a.overdue ? t('（已超期）', ' (overdue)') : ''}</span> },
        { title: t('结果', 'Result'), dataIndex: 'status', render: (s) => ({ pending: t('审核中', 'Pending'), approved: t('通过', 'Approved'), rejected: t('驳回', 'Rejected'), superseded: t('已替代', 'Superseded') })[s as string] ?? s },
        {
          title: t('变更内容', 'Changes'),
          render: (_, a) => {
            if (a.kind !== 'change') return '—';
            const before = (a.data.before ?? {}) as Record<string, unknown>;
            return Object.entries(a.data).filter(([k]) => k !== 'before' && k !== 'enteredByOrg').map(([k, v]) => (
              <div key={k} data-testid="change-item">{CHANGE_LABELS[k]?.[lang === 'en' ? 1 : 0] ?? k}：{String(before[k] ?? '—')} → <b>{String(v)}</b></div>
            ));
          },
        },
        { title: t('原因/意见', 'Reasons'), render: (_, a) => [a.reason, ...a.reasons.map((r) => r.reason), a.decisionNote, a.data.enteredByOrg ? `${t('代录', 'Entered by')}：${a.data.enteredByOrg}` : null].filter(Boolean).join('；') || '—' },
        { title: t('审核人', 'Reviewer'), dataIndex: 'decidedByName', render: (n) => n ?? '—' },
      ]}
    />
  );
}

/** 我的主体 The producer's own record: review progress, identity code and card, corrections, changes, sub-accounts. */
export default function MySubjectPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { data: s, error, reload } = useRequest(() => get<SubjectDetail>('/my-subject'), []);
  const [editing, setEditing] = useState(false);
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [formError, setFormError] = useState<unknown>();
  const [change, setChange] = useState<'change' | 'cancel' | null>(null);
  const [form] = Form.useForm();
  const [changeForm] = Form.useForm();
  if (error) return <ErrorText error={error} />;
  if (!s) return null;
  const can2 = (a: string) => s.allowedActions.includes(a);
  const rejected = s.applications.find((a) => a.status === 'rejected' && a.kind === 'register');
  const step = s.status === 'pending' ? 1 : s.status === 'rejected' ? 1 : 2;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card>
        <Space wrap style={{ marginBottom: 12 }}><Typography.Title level={4} style={{ margin: 0 }}>{s.name}</Typography.Title><StatusTag status={s.status} /></Space>
        <Steps current={step} status={s.status === 'rejected' ? 'error' : undefined} items={[{ title: t('提交申请', 'Submitted') }, { title: t('县级审核', 'County review') }, { title: t('获得身份码', 'Identity code') }]} style={{ marginBottom: 16 }} />
        {s.status === 'pending' && <Alert showIcon type="info" message={t(`正在审核，审核期限 ${s.applications[0]?.dueDate}（5 个工作日）。`, `Under review; due by ${s.applications[0]?.dueDate}.`)} data-testid="pending-note" />}
        {s.status === 'rejected' && rejected && (
          <Alert showIcon type="error" data-testid="rejected-note"
            message={t('申请被驳回，请按以下原因修改后重新提交：', 'Rejected. Please correct and resubmit:')}
            description={<ul style={{ margin: 0 }}>{rejected.reasons.map((r) => <li key={`${r.field ?? ''}:${r.reason}`}>{r.reason}</li>)}</ul>}
            action={can2('resubmit') && <Button type="primary" size="large" data-testid="resubmit-open" onClick={() => { setEditing(true); form.setFieldsValue({ ...s, certNo: s.certNo }); setFiles(s.files.map((f) => ({ fileId: f.id, kind: f.kind, name: f.name }))); }}>{t('修改申请', 'Correct it')}</Button>}
          />
        )}
        {s.identityCode && (
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'center', marginTop: 12 }}>
            <img src="/api/v1/my-subject/identity-qr.svg" alt={t('主体身份码二维码', 'identity QR')} width={180} height={180} data-testid="identity-qr" />
            <div>
              <Typography.Text type="secondary">{t('主体身份码', 'Identity code')}</Typography.Text>
              <Typography.Title level={3} copyable data-testid="identity-code" style={{ marginTop: 0 }}>{s.identityCode}</Typography.Title>
              <Space wrap>
                <Button size="large" onClick={() => download('/my-subject/identity-card.pdf', undefined, 'identity-card.pdf')} data-testid="identity-card">{t('打印身份卡', 'Print identity card')}</Button>
                {can2('requestChange') && <Button size="large" onClick={() => setChange('change')}>{t('申请变更', 'Request a change')}</Button>}
                {can2('requestCancel') && <Button size="large" danger onClick={() => setChange('cancel')}>{t('申请注销', 'Request cancellation')}</Button>}
              </Space>
            </div>
          </div>
        )}
      </Card>

      {editing && (
        <Card title={t('修改注册申请', 'Correct the application')}>
          <ErrorText error={formError} />
          <Form form={form} layout="vertical" onFinish={async (v) => {
            try {
              await api('PUT', '/my-subject/application', { ...fieldsOf(v, files), expectedVersion: s.version });
              message.success(t('已重新提交', 'Resubmitted'));
              setEditing(false);
              await reload();
            } catch (e) {
              setFormError(e);
              form.setFields(fieldErrors(e, lang));
            }
          }}>
            <SubjectFields form={form} files={files} setFiles={setFiles} />
            <Button type="primary" htmlType="submit" size="large" block data-testid="resubmit-submit">{t('重新提交', 'Resubmit')}</Button>
          </Form>
        </Card>
      )}

      <Card>
        <Tabs items={[
          { key: 'info', label: t('主体信息', 'Details'), children: (
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('组织形式', 'Form')}>{lang === 'en' ? ORG_FORMS[s.orgForm]?.[1] : ORG_FORMS[s.orgForm]?.[0]}</Descriptions.Item>
              <Descriptions.Item label={t('行业', 'Industries')}>{s.industries.map((i) => (lang === 'en' ? INDUSTRIES[i]?.[1] : INDUSTRIES[i]?.[0])).join('、')}</Descriptions.Item>
              <Descriptions.Item label={t('证件号码', 'Certificate')}>{s.certNo}</Descriptions.Item>
              <Descriptions.Item label={t('所在地区', 'Region')}>{s.divisionFullName}</Descriptions.Item>
              <Descriptions.Item label={t('地址', 'Address')}>{s.address}</Descriptions.Item>
              <Descriptions.Item label={t('联系人', 'Contact')}>{s.contactName} {s.contactPhone}</Descriptions.Item>
              <Descriptions.Item label={t('证明材料', 'Proofs')}>{s.files.map((f) => <a key={f.id} href={f.url} target="_blank" rel="noreferrer" style={{ marginRight: 8 }}>{f.name}</a>)}</Descriptions.Item>
            </Descriptions>
          ) },
          { key: 'history', label: t('申请记录', 'History'), children: <History apps={s.applications} /> },
          ...(can('mySubject.read') && s.identityCode ? [{ key: 'agreement', label: t('追溯协议', 'Agreement'), children: <AgreementTab /> }] : []),
          ...(can('mySubject.staff') ? [{ key: 'staff', label: t('子账号', 'Sub-accounts'), children: <StaffTab /> }] : []),
          ...(can('mySubject.authorise') ? [{ key: 'agencies', label: t('服务机构授权', 'Agency authorisations'), children: <AuthorisationsTab /> }] : []),
        ]} />
      </Card>

      <Modal open={!!change} title={change === 'cancel' ? t('申请注销', 'Request cancellation') : t('申请变更（需重新审核）', 'Request a change (re-reviewed)')} onCancel={() => setChange(null)} onOk={() => changeForm.submit()} destroyOnHidden>
        <Form form={changeForm} layout="vertical" preserve={false} onFinish={async (v) => {
          try {
            if (change === 'cancel') await post('/my-subject/cancellation', { reason: v.reason });
            else {
              const changes = Object.fromEntries(Object.entries({ name: v.name, contactName: v.contactName, contactPhone: v.contactPhone, address: v.address }).filter(([, x]) => x));
              await post('/my-subject/changes', { changes, reason: v.reason });
            }
            setChange(null);
            await reload();
          } catch (e) {
            changeForm.setFields(fieldErrors(e, lang));
            message.error((e as Error).message);
          }
        }}>
          {change === 'change' && (<>
            <Form.Item name="name" label={t('新名称（不改可不填）', 'New name')}><Input size="large" /></Form.Item>
            <Form.Item name="contactName" label={t('新联系人', 'New contact')}><Input size="large" /></Form.Item>
            <Form.Item name="contactPhone" label={t('新联系电话', 'New phone')}><Input size="large" /></Form.Item>
            <Form.Item name="address" label={t('新地址', 'New address')}><Input size="large" /></Form.Item>
          </>)}
          <Form.Item name="reason" label={t('原因', 'Reason')} rules={[{ required: true, min: 2 }]}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function AgreementTab() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { data, error, reload } = useRequest(() => get<{ template: { id: string; title: string; body: string; version: number } | null; signedCurrent: boolean; signedAt: string | null }>('/my-subject/agreement'), []);
  if (error) return <ErrorText error={error} />;
  if (!data) return null;
  if (!data.template) return <Result status="info" title={t('本县尚未发布追溯协议', 'No agreement published by your county yet')} />;
  return (
    <Card type="inner" title={`${data.template.title}（${t('第', 'v')}${data.template.version}${t('版', '')}）`}>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{data.template.body}</Typography.Paragraph>
      {data.signedCurrent ? <Tag color="green">{t(`已于 ${data.signedAt?.slice(0, 10)} 签订`, `Accepted on ${data.signedAt?.slice(0, 10)}`)}</Tag>
        : can('agreement.sign') && <Button type="primary" size="large" onClick={async () => { await post('/my-subject/agreement', { templateId: data.template?.id }); await reload(); }}>{t('我已阅读并同意', 'I have read and accept')}</Button>}
    </Card>
  );
}

function StaffTab() {
  const { t, lang } = useI18n();
  const { data, error, reload } = useRequest(() => get<{ id: string; username: string; displayName: string; userCode: string | null; status: string; main: boolean }[]>('/my-subject/staff'), []);
  const [form] = Form.useForm();
  return (
    <>
      <ErrorText error={error} />
      <Table rowKey="id" size="small" pagination={false} dataSource={data ?? []} columns={[
        { title: t('用户码', 'User code'), dataIndex: 'userCode' },
        { title: t('用户名', 'Username'), dataIndex: 'username' },
        { title: t('姓名', 'Name'), dataIndex: 'displayName' },
        { title: t('状态', 'Status'), dataIndex: 'status', render: (st, a) => a.main ? t('主账号', 'Main') : <Button size="small" onClick={async () => { await patch(`/my-subject/staff/${a.id}`, { status: st === 'active' ? 'disabled' : 'active' }); await reload(); }}>{st === 'active' ? t('停用', 'Disable') : t('启用', 'Enable')}</Button> },
      ]} />
      <Form form={form} layout="inline" style={{ marginTop: 12 }} onFinish={async (v) => { try { await post('/my-subject/staff', v); form.resetFields(); await reload(); } catch (e) { form.setFields(fieldErrors(e, lang)); } }}>
        <Form.Item name="username" rules={[{ required: true }]}><Input placeholder={t('用户名', 'Username')} /></Form.Item>
        <Form.Item name="displayName" rules={[{ required: true }]}><Input placeholder={t('姓名', 'Name')} /></Form.Item>
        <Form.Item name="password" rules={[{ required: true, min: 8 }]}><Input.Password placeholder={t('初始密码', 'Initial password')} /></Form.Item>
        <Button htmlType="submit" type="primary">{t('新建子账号', 'Add')}</Button>
      </Form>
    </>
  );
}

function AuthorisationsTab() {
  const { t } = useI18n();
  const { data, reload } = useRequest(() => get<{ id: string; agencyName: string; scopes: string[]; grantedAt: string; active: boolean }[]>('/my-subject/authorisations'), []);
  const SC: Record<string, string> = { profile: t('主体信息变更', 'Profile'), products: t('产品', 'Products'), bases: t('基地', 'Bases'), batches: t('批次与追溯码', 'Batches') };
  const { data: agencies } = useRequest(() => get<{ orgId: string; name: string }[]>('/my-subject/available-agencies'), []);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  return (
    <>
    <Form form={form} layout="inline" style={{ marginBottom: 12 }} onFinish={async (v) => { try { await post('/my-subject/authorisations', v); form.resetFields(); await reload(); } catch (e) { message.error((e as Error).message); } }}>
      <Form.Item name="agencyOrgId" rules={[{ required: true }]}><Select style={{ width: 260 }} placeholder={t('选择服务机构', 'Choose an agency')} options={(agencies ?? []).map((a) => ({ value: a.orgId, label: a.name }))} /></Form.Item>
      <Form.Item name="scopes" rules={[{ required: true }]}><Checkbox.Group options={Object.entries(SC).map(([value, label]) => ({ value, label }))} /></Form.Item>
      <Button htmlType="submit" type="primary">{t('授权', 'Authorise')}</Button>
    </Form>
    <Table rowKey="id" size="small" pagination={false} dataSource={data ?? []} columns={[
      { title: t('服务机构', 'Agency'), dataIndex: 'agencyName' },
      { title: t('授权范围', 'Scopes'), dataIndex: 'scopes', render: (s: string[]) => s.map((x) => <Tag key={x}>{SC[x] ?? x}</Tag>) },
      { title: t('授权时间', 'Granted'), dataIndex: 'grantedAt', render: (d) => d.slice(0, 10) },
      { title: '', render: (_, a) => a.active ? <Button size="small" danger onClick={async () => { await post(`/my-subject/authorisations/${a.id}/revoke`); await reload(); }}>{t('撤回', 'Revoke')}</Button> : t('已撤回', 'Revoked') },
    ]} />
    </>
  );
}
