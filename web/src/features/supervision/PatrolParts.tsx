import { CheckCircleOutlined, CloudUploadOutlined, EnvironmentOutlined, ScanOutlined } from '@ant-design/icons';
import { Button, Card, Result, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useEffect, useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { label, type Patrol, STATUS_COLORS } from './api';

/** Parts of the phone patrol page: the GPS fix and the "patrol done" card. */
export type Gps = { longitude: number; latitude: number; accuracyM: number } | null;
export const big = { fontSize: 18 };

/** The phone's position once, with its accuracy (null without a fix). */
export function useGps(): Gps {
  const [gps, setGps] = useState<Gps>(null);
  useEffect(() => {
    navigator.geolocation?.getCurrentPosition(
      (p) =>
        setGps({
          longitude: p.coords.longitude,
          latitude: p.coords.latitude,
          accuracyM: Math.round(p.coords.accuracy),
        }),
      () => setGps(null),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }, []);
  return gps;
}

export function GpsTag({ gps }: { gps: Gps }) {
  const { t } = useI18n();
  return gps ? (
    <Tag icon={<EnvironmentOutlined />} color={gps.accuracyM <= 20 ? 'green' : gps.accuracyM <= 100 ? 'orange' : 'red'}>
      {t(`定位精度 ${gps.accuracyM} 米`, `GPS ±${gps.accuracyM} m`)}
    </Tag>
  ) : (
    <Tag icon={<EnvironmentOutlined />}>{t('未获取定位', 'No GPS fix')}</Tag>
  );
}

export function PatrolDone({ done, onNext }: { done: Patrol; onNext: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Card title={t('巡查完成', 'Patrol done')} data-testid="patrol-done">
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Typography.Title level={4}>
          <CheckCircleOutlined /> {done.subjectName}
        </Typography.Title>
        <div style={big}>
          {t('结果', 'Result')}：
          <Tag color={STATUS_COLORS[done.status]} data-testid="patrol-status" style={big}>
            {label(lang, done.statusZh, done.statusEn)}
          </Tag>
        </div>
        {done.rectifyDeadline && (
          <div style={big}>
            {t('整改期限', 'Deadline')}：{done.rectifyDeadline}
          </div>
        )}
        <Button type="primary" size="large" block icon={<ScanOutlined />} onClick={onNext}>
          {t('继续扫码巡查', 'Scan the next one')}
        </Button>
      </Space>
    </Card>
  );
}

/** "Saved on this device": the patrol waits in the offline queue and is sent when the signal returns. */
export function PatrolQueued({ onNext }: { onNext: () => void }) {
  const { t } = useI18n();
  return (
    <Card data-testid="patrol-queued">
      <Result
        icon={<CloudUploadOutlined />}
        title={t('已保存在本机', 'Saved on this device')}
        subTitle={t(
          '没有网络，巡查记录会在联网后自动发送，不会丢失',
          'No signal: the patrol is sent automatically when online',
        )}
        extra={[
          <Link key="q" to="/field/queue">
            <Button size="large">{t('查看待发送', 'Offline queue')}</Button>
          </Link>,
          <Button key="n" size="large" type="primary" icon={<ScanOutlined />} onClick={onNext}>
            {t('继续巡查', 'Next patrol')}
          </Button>,
        ]}
      />
    </Card>
  );
}
