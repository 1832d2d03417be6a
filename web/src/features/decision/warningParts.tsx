import { App, Button } from 'antd';
import { useI18n } from '../../shared/i18n';
import { useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';

/** The responsible levels of a warning rule (src/modules/warnings/tables.ts WARNING_LEVEL_VALUES). */
export const LEVELS = {
  province: { zh: '省级', en: 'Province' },
  city: { zh: '市级', en: 'City' },
  county: { zh: '县级', en: 'County' },
  township: { zh: '乡镇', en: 'Township' },
} as const;

/** 立即评估：runs every enabled rule now instead of waiting for the scheduled job. */
export function EvaluateNowButton() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useShowError();
  const evaluate = useApiMutation('post', '/api/v1/warnings/evaluate', { invalidate: ['/api/v1/warnings'] });
  return (
    <Button
      loading={evaluate.isPending}
      onClick={() =>
        evaluate
          .mutateAsync()
          .then((r) =>
            message.success(
              t(
                `已评估 ${r.rules} 条规则：发现 ${r.found} 项，新增预警 ${r.created} 条`,
                `Evaluated ${r.rules} rules: ${r.found} found, ${r.created} new warnings`,
              ),
            ),
          )
          .catch(showError)
      }
    >
      {t('立即评估', 'Evaluate now')}
    </Button>
  );
}
