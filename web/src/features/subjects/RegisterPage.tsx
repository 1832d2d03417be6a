import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import type { ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { type RegistrationBody, SubjectFields, type UploadedFile, fieldsOf } from './SubjectForm';

/** 生产经营主体注册 Public self-registration: the account and the application in one step. */
export default function RegisterPage() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<RegistrationBody>();
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<ApiData<'post', '/api/v1/subjects/registrations'>>();
  const register = useApiMutation('post', '/api/v1/subjects/registrations');

  if (done)
    return (
      <Result
        status="success"
        title={t('注册申请已提交', 'Application submitted')}
        subTitle={t(
          `县级监管机构将在 ${done.dueDate} 前（5 个工作日内）审核。请用账号 ${done.username} 登录查看进度。`,
          `The county will review it by ${done.dueDate} (5 working days). Log in as ${done.username} to follow it.`,
        )}
        extra={
          <Button type="primary" size="large" href="/login" data-testid="reg-go-login">
            {t('去登录', 'Log in')}
          </Button>
        }
        data-testid="reg-done"
      />
    );
  return (
    <div style={{ maxWidth: 860, margin: '24px auto', padding: '0 12px' }}>
      <Card title={t('农产品生产经营主体注册', 'Producer registration')}>
        <Alert
          showIcon
          type="info"
          style={{ marginBottom: 16 }}
          message={t(
            '请如实填写，与营业执照或身份证一致。提交后由所在县（区）农产品质量安全监管机构在 5 个工作日内审核。',
            'Fill in as on your licence or ID card. Your county reviews it within 5 working days.',
          )}
        />
        <ErrorText error={error} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{ subjectType: 'production', industries: ['planting'] }}
          onFinish={async (v) => {
            try {
              setDone(await register.mutateAsync({ body: fieldsOf(v, files) }));
            } catch (e) {
              // The message on top (the problem may name a field far down the form) and at the field.
              setError(e);
              form.setFields(fieldErrors(e, lang).map((f) => ({ ...f, name: f.name as keyof RegistrationBody })));
              window.scrollTo(0, 0);
            }
          }}
        >
          <SubjectFields form={form} files={files} setFiles={setFiles} />
          <Typography.Title level={5}>{t('登录账号', 'Login account')}</Typography.Title>
          <Form.Item
            name="username"
            label={t('用户名（可用手机号）', 'Username (a mobile number works)')}
            rules={[
              {
                required: true,
                pattern: /^[A-Za-z0-9][A-Za-z0-9_.@-]{2,31}$/,
                message: t('3–32 位字母或数字', '3–32 letters or digits'),
              },
            ]}
          >
            <Input size="large" data-testid="reg-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('密码（至少 8 位，含字母和数字）', 'Password (8+, letters and digits)')}
            rules={[{ required: true, min: 8 }]}
          >
            <Input.Password size="large" data-testid="reg-password" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={register.isPending}
            data-testid="reg-submit"
          >
            {t('提交注册申请', 'Submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
