import { Alert, Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import type { ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';

type Entry = ApiData<'get', '/api/v1/sso/portal'>['items'][number];

const HEALTH: Record<Entry['health'], { color: string; zh: string; en: string }> = {
  healthy: { color: 'green', zh: '正常', en: 'Healthy' },
  degraded: { color: 'gold', zh: '延迟', en: 'Lagging' },
  stale: { color: 'red', zh: '长时间未同步', en: 'Not delivering' },
  suspended: { color: 'default', zh: '已暂停', en: 'Suspended' },
};

/**
 * The portal (门户, seed 003 二(三)): the connected lower platforms with their entry URLs and sharing health. "Open"
 * goes through the lower platform's "sign in with the upper platform", so a signed-in user arrives signed in.
 */
export default function PortalPage() {
  const { t, lang } = useI18n();
  const { data, error } = useApiQuery('/api/v1/sso/portal', undefined, { refetchInterval: 10_000 });
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') : '—');
  const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('下级平台入口', 'Lower platforms')}
      </Typography.Title>
      <Alert
        type="info"
        showIcon
        message={t(
          '点击“进入”将通过本平台单点登录到下级平台，无需再次输入密码（账号须已关联）。',
          '"Open" signs you in to the lower platform through this one, without a password (your account there must be linked).',
        )}
      />
      <ErrorText error={error} />
      {data && data.items.length === 0 && (
        <Empty description={t('暂无已对接的下级平台', 'No connected lower platforms yet')} />
      )}
      <Row gutter={[12, 12]}>
        {data?.items.map((e) => {
          const h = HEALTH[e.health];
          return (
            <Col key={e.platformId} xs={24} md={12} xl={8}>
              <Card
                size="small"
                title={e.regionName ?? e.platformId}
                extra={<Tag color={h.color}>{t(h.zh, h.en)}</Tag>}
                actions={[
                  <a key="sso" href={e.ssoUrl} data-testid={`portal-open-${e.platformId}`}>
                    {t('进入', 'Open')}
                  </a>,
                  <a key="entry" href={e.entryUrl} target="_blank" rel="noreferrer">
                    {t('入口地址', 'Entry URL')}
                  </a>,
                ]}
              >
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={t('平台', 'Platform')}>{e.platformId}</Descriptions.Item>
                  <Descriptions.Item label={t('入口', 'Entry')}>
                    <Typography.Text style={{ wordBreak: 'break-all' }}>{e.entryUrl}</Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('对接状态', 'Connection')}>
                    {t(e.statusLabel.zh, e.statusLabel.en)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('最近成功', 'Last success')}>{when(e.lastSuccessAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('滞后', 'Lag')}>
                    {seconds(e.lagMs)} · {t('积压', 'backlog')} {e.backlog}
                  </Descriptions.Item>
                  {e.lastError && (
                    <Descriptions.Item label={t('最近错误', 'Last error')}>
                      <Typography.Text type="danger" style={{ wordBreak: 'break-all' }}>
                        {e.lastError} ({when(e.lastErrorAt)})
                      </Typography.Text>
                    </Descriptions.Item>
                  )}
                </Descriptions>
              </Card>
            </Col>
          );
        })}
      </Row>
    </Space>
  );
}
