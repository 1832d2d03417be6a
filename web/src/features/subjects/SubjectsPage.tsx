import { ScanOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Drawer, Input, Modal, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { download, get, type Page, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { CERTIFICATIONS, INDUSTRIES, ORG_FORMS, STATUSES, type Subject, type SubjectDetail } from './labels';
import { History, StatusTag } from './MySubjectPage';

/** A subject's profile (regulators): details, proofs, history, the actions the caller may take. */
export function SubjectView({ id, detail }: { id?: string; detail?: SubjectDetail }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { data, error, reload } = useRequest(() => (detail ? Promise.resolve(detail) : get<SubjectDetail>(`/subjects/${id}`)), [id, detail]);
  if (error) return <ErrorText error={error} />;
  if (!data) return null;
  const s = data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('名称', 'Name')}>{s.name} <StatusTag status={s.status} /></Descriptions.Item>
        <Descriptions.Item label={t('主体身份码', 'Identity code')}>{s.identityCode ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('组织形式', 'Form')}>{lang === 'en' ? ORG_FORMS[s.orgForm]?.[1] : ORG_FORMS[s.orgForm]?.[0]}{s.isSlaughterhouse ? t('（屠宰厂）', ' (slaughterhouse)') : ''}</Descriptions.Item>
        <Descriptions.Item label={t('行业', 'Industries')}>{s.industries.map((i) => (lang === 'en' ? INDUSTRIES[i]?.[1] : INDUSTRIES[i]?.[0])).join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('证件号码', 'Certificate')}>{s.certNo}</Descriptions.Item>
        <Descriptions.Item label={t('法定代表人', 'Legal person')}>{s.legalPersonName} {s.legalPersonIdNo ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('联系人', 'Contact')}>{s.contactName} {s.contactPhone}</Descriptions.Item>
        <Descriptions.Item label={t('地区', 'Region')}>{s.divisionFullName}</Descriptions.Item>
        <Descriptions.Item label={t('地址', 'Address')}>{s.address}</Descriptions.Item>
        <Descriptions.Item label={t('坐标', 'Coordinates')}>{s.longitude != null ? `${s.longitude}, ${s.latitude}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('认证', 'Certifications')}>{s.certifications.map((c) => CERTIFICATIONS[c]?.[lang === 'en' ? 1 : 0]).join('、') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('证明材料', 'Proofs')}>{s.files.length ? s.files.map((f) => f.mime.startsWith('image/') ? <a key={f.id} href={f.url} target="_blank" rel="noreferrer"><img src={f.url} alt={f.name} style={{ maxHeight: 120, marginRight: 8 }} data-testid="proof-image" /></a> : <a key={f.id} href={f.url} target="_blank" rel="noreferrer">{f.name}</a>) : '—'}</Descriptions.Item>
      </Descriptions>
      <Space wrap>
        {s.identityCode && <Button onClick={() => download(`/subjects/${s.id}/identity-card.pdf`, undefined, 'identity-card.pdf')}>{t('身份卡 PDF', 'Identity card PDF')}</Button>}
        {can('subject.review') && !s.hasAccount && s.identityCode && <Button onClick={() => Modal.confirm({
          title: t('为该主体开通主账号（首次登录须改密码）', 'Open the main account (password change at first login)'),
          content: <Space direction="vertical"><Input id="acc-username" placeholder={t('用户名（可用手机号）', 'Username')} /><Input.Password id="acc-password" placeholder={t('初始密码（8 位以上，含字母数字）', 'Initial password')} /></Space>,
          onOk: async () => {
            const username = (document.getElementById('acc-username') as HTMLInputElement).value;
            const password = (document.getElementById('acc-password') as HTMLInputElement).value;
            try { await post(`/subjects/${s.id}/account`, { username, password }); message.success(t('已开通', 'Account opened')); await reload(); } catch (e) { message.error((e as Error).message); throw e; }
          },
        })}>{t('开通主账号', 'Open account')}</Button>}
        {s.allowedActions.includes('requestRevoke') && <Button danger onClick={() => Modal.confirm({
          title: t('提请撤销该主体？（须由另一名审核人员决定）', 'Propose revocation? (another officer decides)'),
          content: <Input.TextArea id="revoke-reason" rows={3} placeholder={t('撤销原因', 'Reason')} />,
          onOk: async () => {
            const reason = (document.getElementById('revoke-reason') as HTMLTextAreaElement)?.value ?? '';
            try { await post(`/subjects/${s.id}/revocation`, { reason }); await reload(); } catch (e) { message.error((e as Error).message); throw e; }
          },
        })}>{t('提请撤销', 'Propose revocation')}</Button>}
      </Space>
      <History apps={s.applications} />
    </Space>
  );
}

/** 主体查询 Search producers in my jurisdiction; open one by identity code; export Excel. */
export default function SubjectsPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Record<string, string | undefined>>({});
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string>();
  const { data, error, loading } = useRequest(() => get<Page<Subject>>('/subjects', { ...filter, page, pageSize: 20 }), [JSON.stringify(filter), page]);
  const set = (k: string) => (v: string | undefined) => { setPage(1); setFilter({ ...filter, [k]: v || undefined }); };
  const L = (m: Record<string, [string, string] | [string, string, string]>) => Object.entries(m).map(([value, v]) => ({ value, label: lang === 'en' ? v[1] : v[0] }));
  return (
    <Card title={t('生产经营主体', 'Producers')} extra={<Space wrap>
      <Input.Search placeholder={t('扫码或输入主体身份码', 'Scan or type an identity code')} enterButton={<ScanOutlined />} onSearch={(c) => c && navigate(`/s/${encodeURIComponent(c.trim())}`)} data-testid="identity-lookup" style={{ width: 280 }} />
      <Button onClick={() => download('/subjects/export.xlsx', filter, '生产经营主体.xlsx')}>{t('导出 Excel', 'Export Excel')}</Button>
    </Space>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search placeholder={t('名称', 'Name')} allowClear onSearch={set('q')} style={{ width: 180 }} />
        <Input.Search placeholder={t('身份码/证件号', 'Code / certificate')} allowClear onSearch={set('code')} style={{ width: 200 }} />
        <Select placeholder={t('组织形式', 'Form')} allowClear options={L(ORG_FORMS)} onChange={set('orgForm')} style={{ width: 150 }} />
        <Select placeholder={t('行业', 'Industry')} allowClear options={L(INDUSTRIES)} onChange={set('industry')} style={{ width: 120 }} />
        <Select placeholder={t('状态', 'Status')} allowClear options={L(STATUSES)} onChange={set('status')} style={{ width: 140 }} />
        <Select placeholder={t('认证', 'Certification')} allowClear options={L(CERTIFICATIONS)} onChange={set('certification')} style={{ width: 150 }} />
        <DivisionPicker root={me?.scope} maxLevel={5} placeholder={t('区划', 'Division')} onChange={set('within')} style={{ width: 220 }} />
      </Space>
      <ErrorText error={error} />
      <Table<Subject> rowKey="id" loading={loading} dataSource={data?.items} scroll={{ x: true }}
        pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage, showTotal: (n) => t(`共 ${n} 个`, `${n} in all`) }}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name', render: (n, s) => <a onClick={() => setOpen(s.id)}>{n}</a> },
          { title: t('身份码', 'Identity code'), dataIndex: 'identityCode', render: (c) => c ?? '—' },
          { title: t('组织形式', 'Form'), dataIndex: 'orgForm', render: (f) => (lang === 'en' ? ORG_FORMS[f]?.[1] : ORG_FORMS[f]?.[0]) },
          { title: t('区划', 'Division'), dataIndex: 'divisionName' },
          { title: t('联系人', 'Contact'), render: (_, s) => `${s.contactName} ${s.contactPhone}` },
          { title: t('状态', 'Status'), dataIndex: 'status', render: (st) => <StatusTag status={st} /> },
        ]} />
      <Drawer open={!!open} width={720} onClose={() => setOpen(undefined)} destroyOnHidden>{open && <SubjectView id={open} />}</Drawer>
    </Card>
  );
}
