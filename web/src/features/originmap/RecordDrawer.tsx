import { Alert, App, Button, Descriptions, Drawer, Tag } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useAuth } from '../../shared/auth';
import { type OriginRecord, STATUS_COLORS, useProducts } from './common';
import { RecordActions, SeasonHistory } from './RecordActions';

/**
 * Details of one record (map click, table row) with the buttons the caller has on it. A collector without the
 * read permission (a producer, an agency) passes the row of its own list as `record`.
 */
export function RecordDrawer({ id, record, onClose }: { id?: string; record?: OriginRecord; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const en = lang === 'en';
  const readable = can('origin.read');
  const { data, error } = useApiQuery(
    '/api/v1/origin/records/{id}',
    { params: { path: { id: id ?? '' } } },
    { enabled: !!id && readable },
  );
  const r = id ? (data ?? record) : undefined;
  const { message } = App.useApp();
  const enums = useProducts().data?.enumerations;
  const label = (list: { code: string; zh: string; en: string }[] | undefined, code: string) => {
    const x = list?.find((e) => e.code === code);
    return x ? (en ? x.en : x.zh) : '';
  };
  const visit = useApiMutation('post', '/api/v1/origin/records/{id}/visit', {
    invalidate: ['/api/v1/origin/records', '/api/v1/origin/my-records', '/api/v1/origin/records/{id}'],
  });
  const [locating, setLocating] = useState(false);
  /** Site visit: the phone's position completes a point imported without one (import first, refine by visit). */
  function locate() {
    if (!r || !navigator.geolocation) {
      message.error(t('此设备无法定位', 'This device cannot locate'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      async (pos) => {
        try {
          await visit.mutateAsync({
            params: { path: { id: r.id } },
            body: {
              longitude: pos.coords.longitude,
              latitude: pos.coords.latitude,
              gpsAccuracyM: pos.coords.accuracy,
            },
          });
          message.success(t('点位已补充并提交审核', 'Point completed and submitted for review'));
        } catch (e) {
          message.error(errorMessage(e, lang));
        } finally {
          setLocating(false);
        }
      },
      () => {
        setLocating(false);
        message.error(t('定位失败，请在室外重试', 'Could not locate; try again outdoors'));
      },
      { enableHighAccuracy: true, timeout: 30000 },
    );
  }
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      title={r?.subjectName ?? t('记录详情', 'Record')}
      width={Math.min(520, typeof window === 'undefined' ? 520 : window.innerWidth)}
      data-testid="origin-drawer"
    >
      <ErrorText error={error} />
      {r?.ownEntry && r.status === 'submitted' && can('origin.review') && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="origin-own-entry"
          title={t('本人录入的记录，须由其他审核人员审核', 'You entered this record: another reviewer must review it')}
        />
      )}
      {r && <RecordActions r={r} />}
      {r && (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('状态', 'Status')}>
            <Tag color={STATUS_COLORS[r.status]} data-testid="origin-status">
              {en ? r.statusNameEn : r.statusName}
            </Tag>
            {r.reviewComment && <div>{r.reviewComment}</div>}
          </Descriptions.Item>
          <Descriptions.Item label={t('主体', 'Subject')}>
            {r.subjectName}（{en ? r.subjectTypeNameEn : r.subjectTypeName}）
            {r.creditCode && (
              <div>
                <code>{r.creditCode}</code>
              </div>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('品种与规模', 'Product and scale')}>
            {en ? r.productNameEn : r.productName} · {r.scale} {en ? r.unitNameEn : r.unitName}
          </Descriptions.Item>
          <Descriptions.Item label={t('所在乡镇', 'Township')}>
            {r.divisionName} <code>{r.divisionCode}</code>
          </Descriptions.Item>
          <Descriptions.Item label={t('基地地址', 'Base address')}>{r.baseAddress}</Descriptions.Item>
          <Descriptions.Item label={t('经纬度', 'Coordinates')}>
            <span data-testid="origin-point">{r.longitude !== null ? `${r.longitude}, ${r.latitude}` : '—'}</span>
            {r.gpsAccuracyM !== null && ` ±${Math.round(r.gpsAccuracyM)} m`}
            {r.sitePending && (
              <div>
                <Tag color="orange" data-testid="origin-site-pending">
                  {t('待现场补充点位', 'Point to be completed on site')}
                </Tag>
                {r.allowedActions.includes('update') && (
                  <Button size="small" loading={locating} onClick={locate} data-testid="origin-visit">
                    {t('现场定位补点', 'Locate on site')}
                  </Button>
                )}
              </div>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('产品认证', 'Certifications')}>
            {r.certifications.map((c) => label(enums?.certifications, c)).join('、') || t('无', 'None')}
          </Descriptions.Item>
          <Descriptions.Item label={t('信用等级', 'Credit rating')}>
            {label(enums?.creditRatings, r.creditRating)}{' '}
            <Tag>
              {r.creditRatingSource === 'archive'
                ? t('来自信用档案', 'From the credit archive')
                : t('采集填报', 'As collected')}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('本茬 / 本月采集', 'Current planting / month')}>
            {t(`第 ${r.seasonNo} 次`, `No. ${r.seasonNo}`)}
            {(r.plantedOn || r.harvestOn) && ` · ${r.plantedOn ?? '—'} ~ ${r.harvestOn ?? '—'}`}
            <div>
              {t(`应于 ${r.nextDue} 前重新采集`, `Re-collect by ${r.nextDue}`)}{' '}
              {r.overdue && <Tag color="red">{t('已逾期', 'Overdue')}</Tag>}
            </div>
          </Descriptions.Item>
          {r.groupPlots > 1 && (
            <Descriptions.Item label={t('同主体地块合计', 'Operator’s plots in all')}>
              {r.groupScale} {en ? r.unitNameEn : r.unitName}（{t(`${r.groupPlots} 个地块`, `${r.groupPlots} plots`)}）
            </Descriptions.Item>
          )}
          {(r.reviewDue || r.correctionDue) && (
            <Descriptions.Item label={t('期限', 'Deadline')}>
              {r.reviewDue && t(`审核期限 ${r.reviewDue}`, `Review by ${r.reviewDue}`)}
              {r.correctionDue && t(`整改期限 ${r.correctionDue}`, `Correct by ${r.correctionDue}`)}
            </Descriptions.Item>
          )}
          {r.correctedLate && (
            <Descriptions.Item label={t('整改', 'Correction')}>
              <Tag color="red">{t('逾期整改', 'Corrected late')}</Tag>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('联系人', 'Contact')}>
            {r.contactName} {r.contactPhone}
          </Descriptions.Item>
          <Descriptions.Item label={t('上下市时间', 'On the market')}>
            {r.marketStart ?? '—'} ~ {r.marketEnd ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('网格员', 'Grid worker')}>
            {[r.gridWorkerName, r.gridWorkerPhone].filter(Boolean).join(' ') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('信息采集员', 'Collector')}>
            {[r.collectorName, r.collectorPhone].filter(Boolean).join(' ') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('采集时间', 'Collected')}>
            <span data-testid="origin-collected">{r.collectedAt.slice(0, 10)}</span>
          </Descriptions.Item>
          {r.confirmedAt && (
            <Descriptions.Item label={t('导入确认（未变化）', 'Confirmed by an unchanged import')}>
              <span data-testid="origin-confirmed">{r.confirmedAt.slice(0, 10)}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {r && readable && <SeasonHistory id={r.id} />}
    </Drawer>
  );
}
