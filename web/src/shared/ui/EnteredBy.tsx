import { Tag } from 'antd';
import { useI18n } from '../i18n';

/** "代录：X" on a record a service agency entered for its producer (nothing when the producer entered it). */
export function EnteredByTag({ by }: { by?: { name: string } | null }) {
  const { t } = useI18n();
  if (!by) return null;
  return (
    <Tag color="purple" data-testid="entered-by">
      {t('代录', 'Entered by')}：{by.name}
    </Tag>
  );
}
