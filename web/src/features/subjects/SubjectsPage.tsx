import { App, Button, Card, Descriptions, Drawer, Input, Modal, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { type ApiQuery, download } from '../../shared/api';
import { codeOf, ScanInput } from '../../shared/ui/ScanInput';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { SharedFrom } from '../../shared/ui/SharedFrom';
import { RequestCorrection } from '../sharing/RequestCorrection';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { History, StatusTag } from './History';
import { type Subject, useSubjectLabels } from './labels';

type Filter = Omit<ApiQuery<'/api/v1/subjects'>, 'page' | 'pageSize'>;
const SUBJECT_PATHS = ['/api/v1/subjects', '/api/v1/subjects/{id}'] as const;

/** A subject's profile (regulators): details, proofs, history, the actions the caller may take. */
export function SubjectView({ id }: { id: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { label } = useSubjectLabels();
  const showError = useShowError();
  const { data, error } = useApiQuery('/api/v1/subjects/{id}', { params: { path: { id } } });
  const openAccount = useApiMutation('post', '/api/v1/subjects/{id}/account', { invalidate: [...SUBJECT_PATHS] });
  const revoke = useApiMutation('post', '/api/v1/subjects/{id}/revocation', { invalidate: [...SUBJECT_PATHS] });
  const { message } = App.useApp();
  if (error) return <ErrorText error={error} />;
  if (!data) return null;
  const s = data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('名称', 'Name')}>
          {s.name} <StatusTag subject={s} />
        </Descriptions.Item>
        <Descriptions.Item label={t('主体身份码', 'Identity code')}>{s.identityCode ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('组织形式', 'Form')}>
          {label('orgForms', s.orgForm)}
          {s.isSlaughterhouse ? t('（屠宰厂）', ' (slaughterhouse)') : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('行业', 'Industries')}>
          {s.industries.map((i) => label('industries', i)).join('、')}
        </Descriptions.Item>
        <Descriptions.Item label={t('证件号码', 'Certificate')}>{s.certNo}</Descriptions.Item>
        <Descriptions.Item label={t('法定代表人', 'Legal person')}>
          {s.legalPersonName} {s.legalPersonIdNo ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('联系人', 'Contact')}>
          {s.contactName} {s.contactPhone}
        </Descriptions.Item>
        <Descriptions.Item label={t('地区', 'Region')}>{s.divisionFullName}</Descriptions.Item>
        <Descriptions.Item label={t('地址', 'Address')}>{s.address}</Descriptions.Item>
        <Descriptions.Item label={t('坐标', 'Coordinates')}>
          {s.longitude != null ? `${s.longitude}, ${s.latitude}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('认证', 'Certifications')}>
          {s.certifications.map((c) => label('certifications', c)).join('、') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('证明材料', 'Proofs')}>
          {s.files.length
            ? s.files.map((f) =>
                f.mime.startsWith('image/') ? (
                  <a key={f.id} href={f.url} target="_blank" rel="noreferrer">
                    <img
                      src={f.url}
                      alt={f.name}
                      style={{ maxHeight: 120, marginRight: 8 }}
                      data-testid="proof-image"
                    />
                  </a>
                ) : (
                  <a key={f.id} href={f.url} target="_blank" rel="noreferrer">
                    {f.name}
                  </a>
                ),
              )
            : '—'}
        </Descriptions.Item>
      </Descriptions>
      <Space wrap>
        {s.identityCode && (
          <Button
            onClick={() =>
              download(
                '/api/v1/subjects/{id}/identity-card.pdf',
                { params: { path: { id: s.id } } },
                'identity-card.pdf',
              ).catch(showError)
            }
          >
            {t('身份卡 PDF', 'Identity card PDF')}
          </Button>
        )}
        {can('subject.review') && !s.hasAccount && s.identityCode && (
          <Button
            onClick={() =>
              Modal.confirm({
                title: t(
                  '为该主体开通主账号（首次登录须改密码）',
                  'Open the main account (password change at first login)',
                ),
                content: (
                  <Space direction="vertical">
                    <Input id="acc-username" placeholder={t('用户名（可用手机号）', 'Username')} />
                    <Input.Password
                      id="acc-password"
                      placeholder={t('初始密码（8 位以上，含字母数字）', 'Initial password')}
                    />
                  </Space>
                ),
                onOk: async () => {
                  const username = (document.getElementById('acc-username') as HTMLInputElement).value;
                  const password = (document.getElementById('acc-password') as HTMLInputElement).value;
                  try {
                    await openAccount.mutateAsync({ params: { path: { id: s.id } }, body: { username, password } });
                    message.success(t('已开通', 'Account opened'));
                  } catch (e) {
                    showError(e);
                    throw e;
                  }
                },
              })
            }
          >
            {t('开通主账号', 'Open account')}
          </Button>
        )}
        {s.allowedActions.includes('requestRevoke') && (
          <Button
            danger
            onClick={() =>
              Modal.confirm({
                title: t('提请撤销该主体？（须由另一名审核人员决定）', 'Propose revocation? (another officer decides)'),
                content: <Input.TextArea id="revoke-reason" rows={3} placeholder={t('撤销原因', 'Reason')} />,
                onOk: async () => {
                  const reason = (document.getElementById('revoke-reason') as HTMLTextAreaElement)?.value ?? '';
                  try {
                    await revoke.mutateAsync({ params: { path: { id: s.id } }, body: { reason } });
                  } catch (e) {
                    showError(e);
                    throw e;
                  }
                },
              })
            }
          >
            {t('提请撤销', 'Propose revocation')}
          </Button>
        )}
      </Space>
      <History apps={s.applications} />
    </Space>
  );
}

/** 主体查询 Search producers in my jurisdiction; open one by identity code; export Excel. */
export default function SubjectsPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { label, options } = useSubjectLabels();
  const showError = useShowError();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Filter>({});
  const [open, setOpen] = useState<string>();
  const { tableProps, error } = usePagedTable('/api/v1/subjects', filter, {
    pagination: { showTotal: (n) => t(`共 ${n} 个`, `${n} in all`) },
  });
  const set =
    <K extends keyof Filter>(k: K) =>
    (v: Filter[K] | '' | undefined) =>
      setFilter({ ...filter, [k]: v || undefined });
  return (
    <Card
      title={t('生产经营主体', 'Producers')}
      extra={
        <Space wrap>
          <div style={{ width: 300, maxWidth: '100%' }}>
            <ScanInput
              testId="identity-scan"
              data-testid="identity-lookup"
              placeholder={t('扫码或输入主体身份码', 'Scan or type an identity code')}
              onScan={(c) => c && navigate(`/s/${encodeURIComponent(c)}`)}
              onPressEnter={(e) => {
                const c = codeOf(e.currentTarget.value);
                if (c) navigate(`/s/${encodeURIComponent(c)}`);
              }}
            />
          </div>
          <Button
            onClick={() =>
              download('/api/v1/subjects/export.xlsx', { params: { query: filter } }, '生产经营主体.xlsx').catch(
                showError,
              )
            }
          >
            {t('导出 Excel', 'Export Excel')}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search placeholder={t('名称', 'Name')} allowClear onSearch={set('q')} style={{ width: 180 }} />
        <Input.Search
          placeholder={t('身份码/证件号', 'Code / certificate')}
          allowClear
          onSearch={set('code')}
          style={{ width: 200 }}
        />
        <Select
          placeholder={t('组织形式', 'Form')}
          allowClear
          options={options('orgForms')}
          onChange={set('orgForm')}
          style={{ width: 150 }}
        />
        <Select
          placeholder={t('行业', 'Industry')}
          allowClear
          options={options('industries')}
          onChange={set('industry')}
          style={{ width: 120 }}
        />
        <Select
          placeholder={t('状态', 'Status')}
          allowClear
          options={options('statuses')}
          onChange={set('status')}
          style={{ width: 140 }}
        />
        <Select
          placeholder={t('认证', 'Certification')}
          allowClear
          options={options('certifications')}
          onChange={set('certification')}
          style={{ width: 150 }}
        />
        <DivisionPicker
          root={me?.scope}
          maxLevel={5}
          placeholder={t('区划', 'Division')}
          onChange={set('within')}
          style={{ width: 220 }}
        />
      </Space>
      <ErrorText error={error} />
      <Table<Subject>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('名称', 'Name'),
            dataIndex: 'name',
            // A subject shared from a lower platform has no detail here: its platform is the system of record.
            render: (n, s) =>
              s.originPlatform ? (
                <>
                  {n} <SharedFrom origin={s.originPlatform} />{' '}
                  <RequestCorrection originPlatform={s.originPlatform} resource="subject" recordId={s.id} />
                </>
              ) : (
                <a onClick={() => setOpen(s.id)}>{n}</a>
              ),
          },
          { title: t('身份码', 'Identity code'), dataIndex: 'identityCode', render: (c) => c ?? '—' },
          { title: t('组织形式', 'Form'), dataIndex: 'orgForm', render: (f: string) => label('orgForms', f) },
          { title: t('区划', 'Division'), dataIndex: 'divisionName' },
          { title: t('联系人', 'Contact'), render: (_, s) => `${s.contactName} ${s.contactPhone}` },
          { title: t('状态', 'Status'), dataIndex: 'status', render: (_, s) => <StatusTag subject={s} /> },
        ]}
      />
      <Drawer open={!!open} width={720} onClose={() => setOpen(undefined)} destroyOnHidden>
        {open && <SubjectView id={open} />}
      </Drawer>
    </Card>
  );
}
