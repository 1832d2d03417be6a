import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Space, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import type { ApiBody } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';

/** The OpenID provider's sign-in interaction (`/oidc/...`) is served by the server, not by this app's router. */
const serverPage = (path: string) => path.startsWith('/oidc/');

type Values = ApiBody<'post', '/api/v1/auth/login'>;

export default function LoginPage() {
  const { me, login } = useAuth();
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next') || '/';
  const [form] = Form.useForm<Values>();
  const sso = useApiQuery('/api/v1/sso/status');
  const go = (mustChange: boolean) => {
    if (!mustChange && serverPage(next)) window.location.assign(next);
    else navigate(mustChange ? '/password' : next, { replace: true });
  };
  const submit = useSubmit(form, (v) => login(v.username.trim(), v.password), {
    inline: true,
    onSuccess: (user) => go(user.mustChangePassword),
  });
  if (me && !me.mustChangePassword && serverPage(next)) {
    window.location.assign(next);
    return null;
  }
  if (me) return <Navigate to={me.mustChangePassword ? '/password' : next} replace />;

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(160deg,#e8f5e9,#f5f5f5)',
        padding: 16,
      }}
    >
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <Space direction="vertical" size={4} style={{ width: '100%', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0, color: '#2e7d32' }}>
            {t('溯源', 'Suyuan')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('国家农产品质量安全追溯管理信息平台', 'Agricultural product quality-safety traceability platform')}
          </Typography.Text>
        </Space>
        <ErrorText error={submit.error} />
        <Form form={form} layout="vertical" size="large" onFinish={submit.onFinish}>
          <Form.Item
            name="username"
            label={t('用户名', 'Username')}
            rules={[{ required: true, message: t('请输入用户名', 'Enter your username') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('密码', 'Password')}
            rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submit.submitting} data-testid="login-submit">
            {t('登录', 'Log in')}
          </Button>
        </Form>
        {sso.data?.available && (
          <Button
            block
            size="large"
            style={{ marginTop: 12 }}
            href={`/api/v1/sso/login?next=${encodeURIComponent(serverPage(next) ? '/' : next)}`}
            data-testid="login-sso"
          >
            {t('通过上级平台登录', 'Sign in with the upper platform')}
          </Button>
        )}
        <div style={{ marginTop: 16, display: 'flex', justifyContent: 'space-between' }}>
          <Space wrap size={12}>
            <a href="/register">{t('生产经营主体注册', 'Producer registration')}</a>
            <a href="/agency-register">{t('服务机构注册', 'Agency registration')}</a>
          </Space>
          <a onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{lang === 'zh' ? 'English' : '中文'}</a>
        </div>
      </Card>
    </div>
  );
}
