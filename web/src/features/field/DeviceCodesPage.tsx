import { BarcodeOutlined, MobileOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { dropReservation, keptReservations, type StoredReservation } from '../../shared/offline/codeStock';
import { useOnline } from '../../shared/offline/useQueue';
import { useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';

type Item = ApiData<'get', '/api/v1/codes/device-reservations'>['items'][number];

const STATE_COLOR: Record<Item['state'], string> = { live: 'green', expired: 'default', released: 'default' };

/**
 * 本机预留码 (issue 16 item 2): the codes this account reserved for offline labels, on this phone and on others —
 * batch, codes left, expiry, the device that reserved them — and a release (with confirmation) that voids the unused
 * ones on the server and forgets them here. Without signal the page lists what this phone keeps.
 */
export default function DeviceCodesPage() {
  const { t, lang } = useI18n();
  const online = useOnline();
  const { message } = App.useApp();
  const showError = useShowError();
  const list = useApiQuery('/api/v1/codes/device-reservations', undefined, { enabled: online });
  const [kept, setKept] = useState<StoredReservation[]>([]);
  const reload = useCallback(() => {
    keptReservations().then(setKept, () => setKept([]));
  }, []);
  useEffect(reload, [reload]);
  const release = useApiMutation('post', '/api/v1/codes/device-reservations/{id}/release', {
    invalidate: ['/api/v1/codes/device-reservations'],
  });
  const keptHere = new Map(kept.map((r) => [r.id, r.left.length]));
  const date = (iso: string) => new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN');

  const doRelease = async (i: Item) => {
    try {
      const r = await release.mutateAsync({ params: { path: { id: i.id } } });
      await dropReservation(i.id);
      reload();
      message.success(t(`已释放 ${r.released} 个未用码`, `${r.released} unused codes released`));
    } catch (e) {
      showError(e);
    }
  };

  const row = (i: Item) => (
    <List.Item data-testid="device-reservation" style={{ display: 'block' }}>
      <Space direction="vertical" style={{ width: '100%' }} size={4}>
        <Space wrap>
          <Tag color={STATE_COLOR[i.state]} data-testid="device-reservation-state">
            {lang === 'en' ? i.stateNameEn : i.stateName}
          </Tag>
          {keptHere.has(i.id) && (
            <Tag color="blue" icon={<MobileOutlined />}>
              {t('本机', 'This phone')}
            </Tag>
          )}
          <Typography.Text strong>
            <Link to={`/trace/batches/${i.batchId}`}>
              {i.productName} · {i.batchNo}
            </Link>
          </Typography.Text>
        </Space>
        <Typography.Text data-testid="device-reservation-left">
          {t(
            `剩余 ${i.left} 个（共 ${i.count} 个，已用 ${i.used} 个）`,
            `${i.left} left (of ${i.count}, ${i.used} used)`,
          )}
        </Typography.Text>
        <Typography.Text type="secondary">
          {i.state === 'released' && i.releasedAt
            ? t(`${date(i.releasedAt)} 已释放`, `released ${date(i.releasedAt)}`)
            : i.state === 'expired'
              ? t(`${date(i.expiresAt)} 已过期，未用码已作废`, `expired ${date(i.expiresAt)}; unused codes voided`)
              : t(`${date(i.expiresAt)} 到期`, `expires ${date(i.expiresAt)}`)}
          {' · '}
          {t('设备：', 'Device: ')}
          {i.device ?? t('未记录', 'not recorded')}
        </Typography.Text>
        {i.state === 'live' && (
          <Popconfirm
            title={t('释放这批预留码？', 'Release these reserved codes?')}
            description={t(
              `未用的 ${i.left} 个码将作废，不能再打印；已打印但未上报的标签请先联网上报。`,
              `The ${i.left} unused codes are voided and can no longer be printed; report labels already printed first.`,
            )}
            okText={t('释放', 'Release')}
            cancelText={t('取消', 'Cancel')}
            okButtonProps={{ danger: true, 'data-testid': 'device-reservation-release-ok' } as { danger: boolean }}
            onConfirm={() => doRelease(i)}
          >
            <Button danger size="large" disabled={!online} data-testid="device-reservation-release">
              {t('释放未用码', 'Release unused codes')}
            </Button>
          </Popconfirm>
        )}
      </Space>
    </List.Item>
  );

  // Without signal: what this phone keeps.
  const offlineRows = kept.filter((r) => r.left.length > 0);
  return (
    <Card
      title={
        <Space>
          <BarcodeOutlined />
          {t('本机预留码', 'Codes kept for offline labels')}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t(
            '在批次页“无信号打印”预留的码：本账号在本机和其他设备上的预留，过期后未用码自动作废。',
            'Codes reserved on a batch page ("Print without signal"): this account’s reservations on this phone and other devices; unused codes are voided on their own when they expire.',
          )}
        </Typography.Text>
        {!online && (
          <Alert
            type="warning"
            showIcon
            message={t(
              '无信号：只显示本机保存的预留码，联网后可释放',
              'No signal: codes kept on this phone only; release when online',
            )}
          />
        )}
        {online ? (
          <List
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: <Empty description={t('还没有预留码', 'No reserved codes yet')} /> }}
            renderItem={row}
            data-testid="device-reservations"
          />
        ) : (
          <List
            dataSource={offlineRows}
            locale={{ emptyText: <Empty description={t('本机没有预留码', 'No codes on this phone')} /> }}
            renderItem={(r) => (
              <List.Item data-testid="device-reservation-kept" style={{ display: 'block' }}>
                <Space direction="vertical" size={4}>
                  <Typography.Text strong>
                    {r.productName} · {r.batchNo}
                  </Typography.Text>
                  <Typography.Text>
                    {t(`本机剩余 ${r.left.length} 个`, `${r.left.length} left on this phone`)} ·{' '}
                    {t(`${date(r.expiresAt)} 到期`, `expires ${date(r.expiresAt)}`)}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Space>
    </Card>
  );
}
