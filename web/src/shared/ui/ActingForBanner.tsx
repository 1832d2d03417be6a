import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useEffect, useSyncExternalStore } from 'react';
import { actingFor, onActingForChange, setActingFor } from '../actingFor';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';

/**
 * Shown on every page while a service agency enters records for a producer (代录), or an official acts for a farmer
 * with its consent (代农户办理): whom for, and a way out.
 */
export function ActingForBanner() {
  const { t } = useI18n();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const acting = useSyncExternalStore(onActingForChange, () => sessionStorage.getItem('suyuan.actingFor'));
  // Whatever was cached belongs to the previous producer (or to none).
  useEffect(() => {
    void acting;
    queryClient.removeQueries();
  }, [acting, queryClient]);
  const a = actingFor();
  if (!a || (me?.orgKind !== 'service' && me?.orgKind !== 'supervision')) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="acting-for"
      style={{ marginBottom: 12 }}
      message={
        me.orgKind === 'service'
          ? t(`正在代「${a.name}」录入`, `Entering records for "${a.name}"`)
          : t(
              `正在代农户「${a.name}」办理（已记录农户同意），记录将注明由您代录`,
              `Acting for farmer "${a.name}" (consent recorded); records will say you entered them`,
            )
      }
      action={
        <Button size="small" onClick={() => setActingFor(null)}>
          {t('结束代录', 'Stop')}
        </Button>
      }
    />
  );
}
