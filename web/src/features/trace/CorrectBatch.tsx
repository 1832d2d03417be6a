import { Button, Form, Input, InputNumber, Modal } from 'antd';
import { useState } from 'react';
import type { ApiBody } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { useApiMutation } from '../../shared/useApiMutation';
import { useSubmit } from '../../shared/useSubmit';
import { COLLECTION_STALE } from '../infocatalog/CollectionStatus';

type Correction = ApiBody<'post', '/api/v1/batches/{id}/corrections'>;

/** 更正数量：a corrective event (the original stays in the history); the reason is required (2–200 characters). */
export function CorrectBatchButton({ id, quantity, unit }: { id: string; quantity: number; unit: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Correction>();
  const correct = useApiMutation('post', '/api/v1/batches/{id}/corrections', {
    invalidate: ['/api/v1/batches/{id}', '/api/v1/batches', ...COLLECTION_STALE],
  });
  const submit = useSubmit(form, (body) => correct.mutateAsync({ params: { path: { id } }, body }), {
    successMessage: t('已更正', 'Corrected'),
    onSuccess: () => setOpen(false),
  });
  return (
    <>
      <Button
        data-testid="batch-correct"
        onClick={() => {
          form.setFieldsValue({ quantity, reason: '' });
          setOpen(true);
        }}
      >
        {t('更正数量', 'Correct quantity')}
      </Button>
      <Modal
        open={open}
        title={t('更正批次数量', 'Correct the batch quantity')}
        okText={t('提交更正', 'Submit')}
        okButtonProps={{ loading: submit.submitting }}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        <p>
          {t(
            '更正会追加一条更正事件，原记录保留在履历中。',
            'A correction appends a corrective event; the original stays in the history.',
          )}
        </p>
        <Form form={form} layout="vertical" onFinish={submit.onFinish}>
          <Form.Item
            name="quantity"
            label={`${t('正确数量', 'Correct quantity')}（${unit}）`}
            rules={[{ required: true, message: t('请填写数量', 'Enter the quantity') }]}
          >
            <InputNumber min={0.001} style={{ width: '100%' }} inputMode="decimal" />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('更正原因', 'Reason')}
            rules={[
              { required: true, whitespace: true, message: t('请填写更正原因', 'Give the reason') },
              { min: 2, max: 200, message: t('原因 2–200 字', 'Reason: 2–200 characters') },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
