import { Alert, App } from 'antd';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

/** Shows an error in the UI language; for API problems, the catalogued message that says what to fix. */
export function ErrorText({ error }: { error: unknown }) {
  const { lang } = useI18n();
  if (!error) return null;
  const text =
    error instanceof ApiError ? error.localized(lang) : error instanceof Error ? error.message : String(error);
  return <Alert type="error" showIcon message={text} data-testid="error" style={{ marginBottom: 12 }} />;
}

export function errorMessage(error: unknown, lang: 'zh' | 'en'): string {
  return error instanceof ApiError ? error.localized(lang) : error instanceof Error ? error.message : String(error);
}

/**
 * Maps a problem that names a field onto an antd Form field error; the field is typed as one of the form's
 * (`form.setFields(fieldErrors(e, lang))` on a `Form.useForm<V>()` infers V).
 */
export function fieldErrors<V = Record<string, unknown>>(
  error: unknown,
  lang: 'zh' | 'en',
): { name: keyof V & string; errors: string[] }[] {
  if (error instanceof ApiError && error.problem.field)
    return [{ name: error.problem.field as keyof V & string, errors: [error.localized(lang)] }];
  return [];
}

/** Shows a failure as a toast message in the UI language (for action buttons): `.catch(showError)`. */
export function useShowError(): (error: unknown) => void {
  const { lang } = useI18n();
  const { message } = App.useApp();
  return (error) => {
    message.error(errorMessage(error, lang));
  };
}
