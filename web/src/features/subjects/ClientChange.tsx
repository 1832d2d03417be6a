import { Button, Form, Input, InputNumber, Modal, Space } from 'antd';
import { useState } from 'react';
import type { ApiBody } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { useApiMutation } from '../../shared/useApiMutation';
import { useSubmit } from '../../shared/useSubmit';

type Body = ApiBody<'post', '/api/v1/agency/clients/{subjectId}/changes'>;
type Values = Body['changes'] & { reason: string };

/** 代主体提交信息变更: contact, address or location of a client, with a reason; the agency is recorded on it. */
export function ClientChangeButton({ subjectId, name }: { subjectId: string; name: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const change = useApiMutation('post', '/api/v1/agency/clients/{subjectId}/changes', {
    invalidate: ['/api/v1/agency/clients'],
  });
  const submit = useSubmit(
    form,
    ({ reason, ...v }) => {
      // Only what was filled in changes; an empty field leaves the stored value alone.
      const changes = Object.fromEntries(
        Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== ''),
      ) as Body['changes'];
      return change.mutateAsync({ params: { path: { subjectId } }, body: { changes, reason } });
    },
    {
      successMessage: t('变更申请已提交', 'Change submitted'),
      onSuccess: () => {
        setOpen(false);
        form.resetFields();
      },
    },
  );
  return (
    <>
      <Button size="large" onClick={() => setOpen(true)}>
        {t('代为申请变更', 'Request a change')}
      </Button>
      <Modal
        open={open}
        title={`${t('代为申请信息变更', 'Request a change on its behalf')} · ${name}`}
        okText={t('提交', 'Submit')}
        okButtonProps={{ loading: submit.submitting }}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        <p>{t('只填写需要变更的项目。', 'Fill in only what changes.')}</p>
        <Form form={form} layout="vertical" onFinish={submit.onFinish}>
          <Form.Item name="contactName" label={t('联系人', 'Contact')}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('联系电话', 'Phone')}>
            <Input inputMode="tel" maxLength={20} />
          </Form.Item>
          <Form.Item name="address" label={t('地址', 'Address')} rules={[{ min: 2, max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="longitude" label={t('经度', 'Longitude')}>
              <InputNumber min={73} max={136} step={0.000001} />
            </Form.Item>
            <Form.Item name="latitude" label={t('纬度', 'Latitude')}>
              <InputNumber min={3} max={54} step={0.000001} />
            </Form.Item>
          </Space>
          <Form.Item
            name="reason"
            label={t('变更原因', 'Reason')}
            rules={[{ required: true, min: 2, whitespace: true, message: t('请填写变更原因', 'Give the reason') }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
