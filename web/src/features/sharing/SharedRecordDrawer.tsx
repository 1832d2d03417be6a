import { Alert, Descriptions, Drawer } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../shared/i18n';
import { DivisionName } from '../../shared/ui/DivisionName';
import { SharedFrom } from '../../shared/ui/SharedFrom';
import { RequestCorrection } from './RequestCorrection';

export interface SharedRow {
  id: string;
  divisionCode: string;
  originPlatform: string | null;
  originPlatformName?: { zh: string; en: string } | null;
}

/**
 * A record shared from a lower platform, opened from a regular list (batches, patrols, sampling sheets): read-only
 * (the lower platform is the system of record, so no edit actions), with "request correction", which sends the
 * lower platform a message through the shared-corrections flow.
 */
export function SharedRecordDrawer({
  row,
  resource,
  title,
  fields,
  onClose,
}: {
  row: SharedRow | null;
  resource: string;
  title: string;
  /** Label (already in the UI language) and value; values are user data. */
  fields: [string, ReactNode][];
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Drawer
      open={!!row}
      onClose={onClose}
      title={title}
      width={Math.min(560, typeof window === 'undefined' ? 560 : window.innerWidth)}
      data-testid="shared-record"
    >
      {row?.originPlatform && (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message={
              <>
                <SharedFrom origin={row.originPlatform} name={row.originPlatformName} />{' '}
                {t(
                  '此记录由下级平台管理，本平台只读；如有错误，请求其更正。',
                  'The lower platform keeps this record; it is read-only here. Ask it to correct an error.',
                )}
              </>
            }
          />
          <Descriptions column={1} size="small" bordered>
            {fields.map(([label, value]) => (
              <Descriptions.Item key={label} label={label}>
                <span data-userdata>{value ?? '—'}</span>
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('所在区划', 'Division')}>
              <span data-testid="shared-division">
                <DivisionName code={row.divisionCode} withCode />
              </span>
            </Descriptions.Item>
          </Descriptions>
          <div style={{ marginTop: 16 }}>
            <RequestCorrection originPlatform={row.originPlatform} resource={resource} recordId={row.id} />
          </div>
        </>
      )}
    </Drawer>
  );
}
