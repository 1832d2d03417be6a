import { Alert, Button, Card, Descriptions, Form, Input, Result, Space, Tag } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import type { ApiBody } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';

type Body = ApiBody<'post', '/api/v1/service-agencies/registrations'>;
const STATUS_COLORS = { pending: 'orange', approved: 'green', rejected: 'red' } as const;
/** The last registration of this device, so that its status is one tap away. */
const LAST_KEY = 'suyuan.agencyRegistration';

const wrap = { maxWidth: 720, margin: '24px auto', padding: '0 12px' } as const;

/** 第三方服务机构注册（省级审核）: the account and the application in one step; then its review status. */
export default function AgencyRegisterPage() {
  const { orgId } = useParams();
  return orgId ? <Status orgId={orgId} /> : <Register />;
}

function Register() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm<Body>();
  const register = useApiMutation('post', '/api/v1/service-agencies/registrations');
  const submit = useSubmit(form, (body) => register.mutateAsync({ body: { ...body, address: body.address || null } }), {
    inline: true,
    onSuccess: (r) => {
      localStorage.setItem(LAST_KEY, r.orgId);
      navigate(`/agency-register/${r.orgId}`);
    },
  });
  const last = localStorage.getItem(LAST_KEY);
  const required = (zh: string, en: string) => [{ required: true, whitespace: true, message: t(zh, en) }];
  return (
    <div style={wrap}>
      <Card title={t('第三方服务机构注册', 'Service agency registration')}>
        <Alert
          showIcon
          type="info"
          style={{ marginBottom: 16 }}
          message={t(
            '为生产经营主体代录追溯信息的第三方服务机构在此注册，由省级监管机构审核；通过后可用所填账号登录。',
            'Agencies that enter records for producers register here; the province reviews it, then the account can log in.',
          )}
        />
        {last && (
          <p>
            <Link to={`/agency-register/${last}`}>{t('查看上次提交的审核进度', 'Status of my last application')}</Link>
          </p>
        )}
        <ErrorText error={submit.error} />
        <Form form={form} layout="vertical" onFinish={submit.onFinish}>
          <Form.Item name="name" label={t('机构名称', 'Name')} rules={required('请填写机构名称', 'Enter the name')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="creditCode"
            label={t('统一社会信用代码', 'Unified credit code')}
            rules={[{ required: true, min: 18, max: 24, message: t('18 位信用代码', 'The 18-character credit code') }]}
          >
            <Input maxLength={24} />
          </Form.Item>
          <Form.Item
            name="legalPerson"
            label={t('法定代表人', 'Legal representative')}
            rules={required('请填写法定代表人', 'Enter the legal representative')}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="services"
            label={t('服务内容', 'Services offered')}
            rules={[{ required: true, min: 2, message: t('请填写服务内容', 'Describe the services') }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Form.Item
            name="divisionCode"
            label={t('所在地', 'Location')}
            rules={[{ required: true, message: t('请选择所在地', 'Choose the location') }]}
          >
            <DivisionPicker
              maxLevel={4}
              placeholder={t('省 / 市 / 县 / 乡镇', 'Province / city / county / township')}
            />
          </Form.Item>
          <Form.Item name="address" label={t('地址（可选）', 'Address (optional)')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="contactName"
            label={t('联系人', 'Contact')}
            rules={required('请填写联系人', 'Enter a contact')}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('联系电话', 'Phone')}
            rules={required('请填写联系电话', 'Enter a phone number')}
          >
            <Input inputMode="tel" maxLength={20} />
          </Form.Item>
          <Form.Item
            name="username"
            label={t('登录用户名', 'Username')}
            rules={[
              {
                required: true,
                pattern: /^[A-Za-z0-9][A-Za-z0-9_.@-]{2,31}$/,
                message: t('3–32 位字母或数字', '3–32 letters or digits'),
              },
            ]}
          >
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('密码（至少 8 位）', 'Password (8+ characters)')}
            rules={[{ required: true, min: 8, message: t('至少 8 位', 'At least 8 characters') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={submit.submitting}>
              {t('提交注册申请', 'Submit')}
            </Button>
            <Link to="/login">{t('返回登录', 'Back to login')}</Link>
          </Space>
        </Form>
      </Card>
    </div>
  );
}

function Status({ orgId }: { orgId: string }) {
  const { t, lang } = useI18n();
  const s = useApiQuery('/api/v1/service-agencies/registrations/{orgId}', { params: { path: { orgId } } });
  const x = s.data;
  return (
    <div style={wrap}>
      <Card title={t('服务机构注册审核进度', 'Registration status')} loading={s.isLoading}>
        <ErrorText error={s.error} />
        {x && (
          <>
            {x.status === 'approved' && (
              <Result status="success" title={t('审核已通过，可以登录', 'Approved: you can log in')} />
            )}
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('机构', 'Agency')}>{x.name}</Descriptions.Item>
              <Descriptions.Item label={t('状态', 'Status')}>
                <Tag color={STATUS_COLORS[x.status]}>{lang === 'en' ? x.statusEn : x.statusZh}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('提交时间', 'Submitted')}>
                {x.submittedAt.slice(0, 16).replace('T', ' ')}
              </Descriptions.Item>
              {x.decidedAt && (
                <Descriptions.Item label={t('审核时间', 'Decided')}>
                  {x.decidedAt.slice(0, 16).replace('T', ' ')}
                </Descriptions.Item>
              )}
              {x.reasons && <Descriptions.Item label={t('退回理由', 'Reasons')}>{x.reasons}</Descriptions.Item>}
              <Descriptions.Item label={t('申请编号', 'Application no.')}>{orgId}</Descriptions.Item>
            </Descriptions>
          </>
        )}
        <p style={{ color: '#888' }}>
          {t('请收藏本页地址，随时查看审核进度。', 'Bookmark this page to follow the review.')}
        </p>
        <Space wrap style={{ marginTop: 16 }}>
          <Button type="primary" href="/login">
            {t('去登录', 'Log in')}
          </Button>
          <Button onClick={() => s.refetch()}>{t('刷新', 'Refresh')}</Button>
        </Space>
      </Card>
    </div>
  );
}
