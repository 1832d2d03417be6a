import { App, type FormInstance } from 'antd';
import { useState } from 'react';
import { ApiError } from './api';
import { useI18n } from './i18n';

/** `items.0.name` → `['items', 0, 'name']` (antd's name path). */
const namePath = (field: string) => field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

export interface SubmitOptions<R> {
  onSuccess?: (result: R) => void | Promise<void>;
  /** Shown as a success message after the call (already in the UI language: `t('已保存', 'Saved')`). */
  successMessage?: string;
  /** Keep other errors in `error` (for an `<ErrorText>` in place) instead of showing them as a message. */
  inline?: boolean;
}

/**
 * Form submission with the server's answer mapped back onto the form: a problem that names a field of the form
 * becomes that field's error (in the UI language); any other failure is shown as a message (or kept in `error`).
 *
 *   const submit = useSubmit(form, (v) => create.mutateAsync({ body: v }), { onSuccess: () => setOpen(false) });
 *   <Form form={form} onFinish={submit.onFinish}> … <Button htmlType="submit" loading={submit.submitting}>
 */
export function useSubmit<V, R>(form: FormInstance<V>, fn: (values: V) => Promise<R>, options: SubmitOptions<R> = {}) {
  const { lang } = useI18n();
  const { message } = App.useApp();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>();

  const onFinish = async (values: V): Promise<R | undefined> => {
    setSubmitting(true);
    setError(undefined);
    try {
      const result = await fn(values);
      if (options.successMessage) message.success(options.successMessage);
      await options.onSuccess?.(result);
      return result;
    } catch (e) {
      const text = e instanceof ApiError ? e.localized(lang) : e instanceof Error ? e.message : String(e);
      const field = e instanceof ApiError ? e.problem.field : undefined;
      const name = field ? namePath(field) : undefined;
      // Only a field the form shows can carry the message; otherwise the message goes to the page.
      const shown = name && form.getFieldInstance(name as never) !== undefined;
      if (shown) form.setFields([{ name: name as never, errors: [text] }]);
      else if (options.inline) setError(e);
      else message.error(text);
      return undefined;
    } finally {
      setSubmitting(false);
    }
  };
  return { onFinish, submitting, error, clearError: () => setError(undefined) };
}
