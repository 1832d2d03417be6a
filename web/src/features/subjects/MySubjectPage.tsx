import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Steps, Tabs, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody } from '../../shared/api';
import { download } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { History, StatusTag } from './History';
import { useSubjectLabels } from './labels';
import { AgreementTab, AuthorisationsTab, StaffTab } from './MySubjectTabs';
import { type RegistrationBody, SubjectFields, type UploadedFile, fieldsOf } from './SubjectForm';

const MINE = ['/api/v1/my-subject'] as const;
type ChangeForm = Pick<
  ApiBody<'post', '/api/v1/my-subject/changes'>['changes'],
  'name' | 'contactName' | 'contactPhone' | 'address'
> & {
  reason: string;
};

/** 我的主体 The producer's own record: review progress, identity code and card, corrections, changes, sub-accounts. */
export default function MySubjectPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { label } = useSubjectLabels();
  const showError = useShowError();
  const { message } = App.useApp();
  const { data: s, error } = useApiQuery('/api/v1/my-subject');
  const [editing, setEditing] = useState(false);
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [formError, setFormError] = useState<unknown>();
  const [change, setChange] = useState<'change' | 'cancel' | null>(null);
  const [form] = Form.useForm<RegistrationBody>();
  const [changeForm] = Form.useForm<ChangeForm>();
  const resubmit = useApiMutation('put', '/api/v1/my-subject/application', { invalidate: [...MINE] });
  const requestChange = useApiMutation('post', '/api/v1/my-subject/changes', { invalidate: [...MINE] });
  const requestCancel = useApiMutation('post', '/api/v1/my-subject/cancellation', { invalidate: [...MINE] });
  if (error) return <ErrorText error={error} />;
  if (!s) return null;
  const may = (a: (typeof s.allowedActions)[number]) => s.allowedActions.includes(a);
  const rejected = s.applications.find((a) => a.status === 'rejected' && a.kind === 'register');
  const step = s.status === 'pending' ? 1 : s.status === 'rejected' ? 1 : 2;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-userdata>
            {s.name}
          </Typography.Title>
          <StatusTag subject={s} />
        </Space>
        <Steps
          current={step}
          status={s.status === 'rejected' ? 'error' : undefined}
          items={[
            { title: t('提交申请', 'Submitted') },
            { title: t('县级审核', 'County review') },
            { title: t('获得身份码', 'Identity code') },
          ]}
          style={{ marginBottom: 16 }}
        />
        {s.status === 'pending' && (
          <Alert
            showIcon
            type="info"
            message={t(
              `正在审核，审核期限 ${s.applications[0]?.dueDate}（5 个工作日）。`,
              `Under review; due by ${s.applications[0]?.dueDate}.`,
            )}
            data-testid="pending-note"
          />
        )}
        {s.status === 'rejected' && rejected && (
          <Alert
            showIcon
            type="error"
            data-testid="rejected-note"
            message={t('申请被驳回，请按以下原因修改后重新提交：', 'Rejected. Please correct and resubmit:')}
            description={
              <ul style={{ margin: 0 }}>
                {rejected.reasons.map((r) => (
                  <li key={`${r.field ?? ''}:${r.reason}`}>{r.reason}</li>
                ))}
              </ul>
            }
            action={
              may('resubmit') && (
                <Button
                  type="primary"
                  size="large"
                  data-testid="resubmit-open"
                  onClick={() => {
                    setEditing(true);
                    const { files: proofs, ...fields } = s;
                    form.setFieldsValue(fields);
                    setFiles(proofs.map((f) => ({ fileId: f.id, kind: f.kind, name: f.name })));
                  }}
                >
                  {t('修改申请', 'Correct it')}
                </Button>
              )
            }
          />
        )}
        {s.identityCode && (
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'center', marginTop: 12 }}>
            <img
              src="/api/v1/my-subject/identity-qr.svg"
              alt={t('主体身份码二维码', 'identity QR')}
              width={180}
              height={180}
              data-testid="identity-qr"
            />
            <div>
              <Typography.Text type="secondary">{t('主体身份码', 'Identity code')}</Typography.Text>
              <Typography.Title level={3} copyable data-testid="identity-code" style={{ marginTop: 0 }}>
                {s.identityCode}
              </Typography.Title>
              <Space wrap>
                <Button
                  size="large"
                  onClick={() =>
                    download('/api/v1/my-subject/identity-card.pdf', undefined, 'identity-card.pdf').catch(showError)
                  }
                  data-testid="identity-card"
                >
                  {t('打印身份卡', 'Print identity card')}
                </Button>
                {may('requestChange') && (
                  <Button size="large" onClick={() => setChange('change')}>
                    {t('申请变更', 'Request a change')}
                  </Button>
                )}
                {may('requestCancel') && (
                  <Button size="large" danger onClick={() => setChange('cancel')}>
                    {t('申请注销', 'Request cancellation')}
                  </Button>
                )}
              </Space>
            </div>
          </div>
        )}
      </Card>

      {editing && (
        <Card title={t('修改注册申请', 'Correct the application')}>
          <ErrorText error={formError} />
          <Form
            form={form}
            layout="vertical"
            onFinish={async (v) => {
              try {
                await resubmit.mutateAsync({ body: { ...fieldsOf(v, files), expectedVersion: s.version } });
                message.success(t('已重新提交', 'Resubmitted'));
                setEditing(false);
              } catch (e) {
                setFormError(e);
                form.setFields(fieldErrors(e, lang).map((f) => ({ ...f, name: f.name as keyof RegistrationBody })));
              }
            }}
          >
            <SubjectFields form={form} files={files} setFiles={setFiles} />
            <Button type="primary" htmlType="submit" size="large" block data-testid="resubmit-submit">
              {t('重新提交', 'Resubmit')}
            </Button>
          </Form>
        </Card>
      )}

      <Card>
        <Tabs
          items={[
            {
              key: 'info',
              label: t('主体信息', 'Details'),
              children: (
                <Descriptions column={{ xs: 1, md: 2 }} size="small">
                  <Descriptions.Item label={t('组织形式', 'Form')}>{label('orgForms', s.orgForm)}</Descriptions.Item>
                  <Descriptions.Item label={t('行业', 'Industries')}>
                    {s.industries.map((i) => label('industries', i)).join('、')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('证件号码', 'Certificate')}>{s.certNo}</Descriptions.Item>
                  <Descriptions.Item label={t('所在地区', 'Region')}>{s.divisionFullName}</Descriptions.Item>
                  <Descriptions.Item label={t('地址', 'Address')}>{s.address}</Descriptions.Item>
                  <Descriptions.Item label={t('联系人', 'Contact')}>
                    {s.contactName} {s.contactPhone}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('证明材料', 'Proofs')}>
                    {s.files.map((f) => (
                      <a key={f.id} href={f.url} target="_blank" rel="noreferrer" style={{ marginRight: 8 }}>
                        {f.name}
                      </a>
                    ))}
                  </Descriptions.Item>
                </Descriptions>
              ),
            },
            { key: 'history', label: t('申请记录', 'History'), children: <History apps={s.applications} /> },
            ...(can('mySubject.read') && s.identityCode
              ? [{ key: 'agreement', label: t('追溯协议', 'Agreement'), children: <AgreementTab /> }]
              : []),
            ...(can('mySubject.staff')
              ? [{ key: 'staff', label: t('子账号', 'Sub-accounts'), children: <StaffTab /> }]
              : []),
            ...(can('mySubject.authorise')
              ? [
                  {
                    key: 'agencies',
                    label: t('服务机构授权', 'Agency authorisations'),
                    children: <AuthorisationsTab />,
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Modal
        open={!!change}
        title={
          change === 'cancel'
            ? t('申请注销', 'Request cancellation')
            : t('申请变更（需重新审核）', 'Request a change (re-reviewed)')
        }
        onCancel={() => setChange(null)}
        onOk={() => changeForm.submit()}
        destroyOnHidden
      >
        <Form
          form={changeForm}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            try {
              if (change === 'cancel') await requestCancel.mutateAsync({ body: { reason: v.reason } });
              else {
                const { reason, ...fields } = v;
                const changes = Object.fromEntries(Object.entries(fields).filter(([, x]) => x));
                await requestChange.mutateAsync({ body: { changes, reason } });
              }
              setChange(null);
            } catch (e) {
              changeForm.setFields(fieldErrors(e, lang).map((f) => ({ ...f, name: f.name as keyof ChangeForm })));
              showError(e);
            }
          }}
        >
          {change === 'change' && (
            <>
              <Form.Item name="name" label={t('新名称（不改可不填）', 'New name')}>
                <Input size="large" />
              </Form.Item>
              <Form.Item name="contactName" label={t('新联系人', 'New contact')}>
                <Input size="large" />
              </Form.Item>
              <Form.Item name="contactPhone" label={t('新联系电话', 'New phone')}>
                <Input size="large" />
              </Form.Item>
              <Form.Item name="address" label={t('新地址', 'New address')}>
                <Input size="large" />
              </Form.Item>
            </>
          )}
          <Form.Item name="reason" label={t('原因', 'Reason')} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
