import { Tag } from 'antd';
import { useI18n } from '../i18n';
import { PlatformName } from './PlatformName';

/**
 * The "shared from" mark (信息归集, docs/sharing.md) on a record that a lower platform shared to this one, naming its
 * origin platform (广东省平台 / the Guangdong platform, or its id when the name is not given); nothing for this
 * platform's own records.
 */
export function SharedFrom({
  origin,
  name,
}: {
  origin: string | null | undefined;
  name?: { zh: string; en: string } | null;
}) {
  const { t } = useI18n();
  if (!origin) return null;
  return (
    <Tag
      color="blue"
      data-testid="shared-from"
      title={t('下级平台共享的记录，只读', 'Shared by a lower platform, read-only')}
    >
      {name ? (
        t(`来自${name.zh}`, `shared from ${name.en}`)
      ) : (
        <>
          {t('来自', 'shared from ')}
          <PlatformName id={origin} />
        </>
      )}
    </Tag>
  );
}
