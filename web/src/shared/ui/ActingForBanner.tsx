import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useEffect, useSyncExternalStore } from 'react';
import { actingFor, onActingForChange, setActingFor } from '../actingFor';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';

/** Shown on every page while a service agency enters records for a producer (代录): whom for, and a way out. */
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
  if (!a || me?.orgKind !== 'service') return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="acting-for"
      style={{ marginBottom: 12 }}
      message={t(`正在代「${a.name}」录入`, `Entering records for "${a.name}"`)}
      action={
        <Button size="small" onClick={() => setActingFor(null)}>
          {t('结束代录', 'Stop')}
        </Button>
      }
    />
  );
}
