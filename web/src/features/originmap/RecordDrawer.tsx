import { Descriptions, Drawer, Tag } from 'antd';
import { get } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { type OriginRecord, STATUS_COLORS } from './common';

/** Details of one record (map click, table row). */
export function RecordDrawer({ id, onClose }: { id?: string; onClose: () => void }) {
  const { t } = useI18n();
  const { data: r, error } = useRequest(() => (id ? get<OriginRecord>(`/origin/records/${id}`) : Promise.resolve(undefined)), [id]);
  return (
    <Drawer open={!!id} onClose={onClose} title={r?.subjectName ?? t('记录详情', 'Record')} width={Math.min(520, typeof window === 'undefined' ? 520 : window.innerWidth)} data-testid="origin-drawer">
      <ErrorText error={error} />
      {r && (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('状态', 'Status')}><Tag color={STATUS_COLORS[r.status]}>{r.statusName}</Tag>{r.reviewComment && <div>{r.reviewComment}</div>}</Descriptions.Item>
          <Descriptions.Item label={t('主体', 'Subject')}>{r.subjectName}（{r.subjectTypeName}）{r.creditCode && <div><code>{r.creditCode}</code></div>}</Descriptions.Item>
          <Descriptions.Item label={t('品种与规模', 'Product and scale')}>{r.productName} · {r.scale} {r.unitName}</Descriptions.Item>
          <Descriptions.Item label={t('所在乡镇', 'Township')}>{r.divisionName} <code>{r.divisionCode}</code></Descriptions.Item>
          <Descriptions.Item label={t('基地地址', 'Base address')}>{r.baseAddress}</Descriptions.Item>
          <Descriptions.Item label={t('经纬度', 'Coordinates')}>{r.longitude !== null ? `${r.longitude}, ${r.latitude}` : '—'}{r.gpsAccuracyM !== null && ` ±${Math.round(r.gpsAccuracyM)} m`}</Descriptions.Item>
          <Descriptions.Item label={t('联系人', 'Contact')}>{r.contactName} {r.contactPhone}</Descriptions.Item>
          <Descriptions.Item label={t('上下市时间', 'On the market')}>{r.marketStart ?? '—'} ~ {r.marketEnd ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('网格员', 'Grid worker')}>{[r.gridWorkerName, r.gridWorkerPhone].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('信息采集员', 'Collector')}>{[r.collectorName, r.collectorPhone].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('采集时间', 'Collected')}>{r.collectedAt.slice(0, 10)}</Descriptions.Item>
        </Descriptions>
      )}
    </Drawer>
  );
}
