import { Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { PlatformName } from '../../shared/ui/PlatformName';
import { useSharedResources } from './resources';

interface Target {
  originPlatform: string;
  resource: string;
  recordId: string;
}

/**
 * "请求更正" on a record shared from a lower platform (docs/sharing.md "Corrections requested from above"): the
 * lower platform stays the system of record, so this sends it a message; nothing here changes the record.
 */
export function RequestCorrection(target: Target) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [open, setOpen] = useState(false);
  if (!can('sharing.correct')) return null;
  return (
    <>
      <Button size="small" data-testid="request-correction" onClick={() => setOpen(true)}>
        {t('请求更正', 'Request correction')}
      </Button>
      {open && <CorrectionDialog target={target} onClose={() => setOpen(false)} />}
    </>
  );
}

function CorrectionDialog({ target, onClose }: { target: Target; onClose: () => void }) {
  const { t } = useI18n();
  const showError = useShowError();
  const [form] = Form.useForm<{ fields: string[]; reason: string }>();
  const resources = useSharedResources();
  // The record as shared (its latest version), for the list of its fields.
  const { data, error } = useApiQuery('/api/v1/sharing/records', {
    params: {
      query: { resource: target.resource, origin: target.originPlatform, q: target.recordId, pageSize: 5 },
    },
  });
  const record = data?.items.find((r) => r.recordId === target.recordId)?.record ?? {};
  const send = useApiMutation('post', '/api/v1/sharing/corrections', { invalidate: ['/api/v1/sharing/corrections'] });
  return (
    <Modal
      open
      title={t('请求下级平台更正此记录', 'Ask the lower platform to correct this record')}
      okText={t('发送', 'Send')}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={send.isPending}
      onCancel={onClose}
      width="min(520px, calc(100vw - 24px))"
      onOk={async () => {
        const v = await form.validateFields();
        try {
          await send.mutateAsync({ body: { ...target, fields: v.fields, reason: v.reason } });
          onClose();
        } catch (e) {
          showError(e);
        }
      }}
    >
      <p style={{ color: '#666' }}>
        {t('记录由', 'The record is kept by ')}
        <PlatformName id={target.originPlatform} />
        {t(
          '管理；请求以消息下发，由其用户更正，本平台不修改记录。',
          '; the request is sent as a message and its users correct it. Nothing is changed here.',
        )}
      </p>
      <ErrorText error={error} />
      <Form form={form} layout="vertical">
        <Form.Item
          name="fields"
          label={t('需更正的字段', 'Fields concerned')}
          rules={[{ required: true, message: t('请选择字段', 'Choose the fields') }]}
        >
          <Select
            mode="multiple"
            data-testid="correction-fields"
            options={Object.keys(record).map((k) => ({
              value: k,
              label: `${resources.fieldName(target.resource, k) ?? k}: ${String(record[k] ?? '').slice(0, 30)}`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('更正理由', 'Reason')}
          rules={[{ required: true, whitespace: true, message: t('请填写理由', 'Give the reason') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
