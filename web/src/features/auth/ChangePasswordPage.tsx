import { Alert, Button, Card, Form, Input } from 'antd';
import { useNavigate } from 'react-router';
import { type ApiBody, http } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useSubmit } from '../../shared/useSubmit';

type Values = ApiBody<'post', '/api/v1/auth/password'> & { confirm: string };

export default function ChangePasswordPage() {
  const { me, refresh } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const submit = useSubmit(
    form,
    (v) =>
      http.post('/api/v1/auth/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } }),
    {
      inline: true,
      successMessage: t('密码已修改', 'Password changed'),
      onSuccess: async () => {
        await refresh();
        navigate('/');
      },
    },
  );
  return (
    <Card title={t('修改密码', 'Change password')} style={{ maxWidth: 480 }}>
      {me?.mustChangePassword && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t(
            '这是您第一次登录（或密码已被重置），请先设置自己的新密码。',
            'This is your first login (or your password was reset): set your own password first.',
          )}
        />
      )}
      <ErrorText error={submit.error} />
      <Form form={form} layout="vertical" size="large" onFinish={submit.onFinish}>
        <Form.Item name="currentPassword" label={t('当前密码', 'Current password')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="pw-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('新密码', 'New password')}
          extra={t('至少 8 位，同时包含字母和数字', 'At least 8 characters with letters and digits')}
          rules={[
            { required: true },
            { min: 8, message: t('至少 8 位', 'At least 8 characters') },
            {
              pattern: /(?=.*[A-Za-z])(?=.*\d)/,
              message: t('须同时包含字母和数字', 'Must contain letters and digits'),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('确认新密码', 'Confirm new password')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                v === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('两次输入不一致', 'The passwords differ'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={submit.submitting} data-testid="pw-submit">
          {t('确认修改', 'Change password')}
        </Button>
      </Form>
    </Card>
  );
}
