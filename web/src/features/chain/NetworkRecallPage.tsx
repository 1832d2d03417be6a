import { Button, Card, Collapse, Descriptions, Empty, Progress, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import type { ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';

type Detail = ApiData<'get', '/api/v1/network/recalls/{id}'>;
type Holder = Detail['platforms'][number]['recalls'][number]['notices'][number];
const COLORS: Record<Holder['status'], string> = { notified: 'orange', acknowledged: 'green', external: 'blue' };

/** 跨平台召回详情（国家平台）：各省平台回报的进度，每个持有者的确认状态。 */
export default function NetworkRecallPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const q = useApiQuery('/api/v1/network/recalls/{id}', { params: { path: { id } } }, { enabled: !!id });
  const x = q.data;
  if (!x)
    return (
      <Card loading={q.isLoading}>
        <ErrorText error={q.error} />
      </Card>
    );
  const when = (v: string) => new Date(v).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN');
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <span data-testid="network-recall-title">
            {t('跨平台召回', 'Recall across platforms')} {x.number}
          </span>
        }
        extra={
          x.code ? (
            <Button onClick={() => navigate(`/chain/network?code=${encodeURIComponent(x.code ?? '')}`)}>
              {t('查看全国链条', 'View the chain')}
            </Button>
          ) : null
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('追溯码', 'Code')}>
            <span data-userdata>{x.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('级别', 'Level')}>
            {lang === 'en' ? x.levelNameEn : x.levelName}
          </Descriptions.Item>
          <Descriptions.Item label={t('原因', 'Reason')}>
            <span data-userdata data-testid="network-recall-reason">
              {x.reason}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('发起时间', 'Opened')}>{when(x.openedAt)}</Descriptions.Item>
        </Descriptions>
        <Space size={32} wrap style={{ marginTop: 12 }}>
          <Progress type="circle" percent={x.progress.percent} size={96} data-testid="network-recall-progress" />
          <Statistic
            title={t('已回报的平台', 'Platforms reported')}
            value={`${x.progress.reported}/${x.progress.platforms}`}
          />
          <Statistic title={t('平台内持有者', 'Holders in the platforms')} value={x.progress.holders} />
          <Statistic title={t('已确认', 'Acknowledged')} value={x.progress.acknowledged} />
          <Statistic title={t('平台外（电话通知）', 'Outside (phone)')} value={x.progress.external} />
          <Statistic title={t('已追回', 'Recovered')} value={x.progress.recovered} />
        </Space>
      </Card>
      {x.platforms.map((p) => (
        <Card
          key={p.platform}
          data-testid={`network-recall-platform-${p.platform}`}
          title={lang === 'en' ? p.platformNameEn : p.platformName}
        >
          <Typography.Paragraph type="secondary">
            {t('下发的批次：', 'Lots sent: ')}
            <span data-userdata>{p.codes.join('、')}</span>
          </Typography.Paragraph>
          {p.recalls.length === 0 ? (
            <Empty
              description={t(
                '该平台尚未回报进度（通知随下次对接送达）',
                'No report yet (the notice goes with the next exchange)',
              )}
            />
          ) : (
            <Collapse
              defaultActiveKey={p.recalls.map((r) => r.recallId)}
              items={p.recalls.map((r) => ({
                key: r.recallId,
                label: (
                  <Space wrap>
                    <span>{r.number}</span>
                    <Tag color={r.status === 'open' ? 'red' : 'default'}>
                      {lang === 'en' ? r.statusNameEn : r.statusName}
                    </Tag>
                    <span data-testid={`network-recall-ack-${p.platform}`}>
                      {t('已确认', 'Acknowledged')} {r.acknowledged}/{r.holders}
                    </span>
                    <Typography.Text type="secondary">
                      {t('回报于', 'Reported')} {when(r.reportedAt)}
                    </Typography.Text>
                  </Space>
                ),
                children: (
                  <Table<Holder>
                    rowKey={(n, i) => `${n.code ?? ''}-${i}`}
                    size="small"
                    dataSource={r.notices}
                    pagination={{ pageSize: 50 }}
                    scroll={{ x: 'max-content' }}
                    columns={[
                      {
                        title: t('持有者', 'Holder'),
                        render: (_, n) =>
                          n.masked ? (
                            <Tag>{t('辖区外主体', 'Outside your jurisdiction')}</Tag>
                          ) : (
                            <span data-userdata>{n.holderName}</span>
                          ),
                      },
                      { title: t('追溯码', 'Code'), render: (_, n) => <span data-userdata>{n.code ?? '—'}</span> },
                      {
                        title: t('数量', 'Quantity'),
                        render: (_, n) => (n.quantity === null ? '' : `${n.quantity} ${n.unit ?? ''}`),
                      },
                      {
                        title: t('状态', 'Status'),
                        render: (_, n) => (
                          <Tag color={COLORS[n.status]}>{lang === 'en' ? n.statusNameEn : n.statusName}</Tag>
                        ),
                      },
                      {
                        title: t('已追回', 'Recovered'),
                        render: (_, n) => n.recoveredQuantity ?? '',
                      },
                      {
                        title: t('确认时间', 'Acknowledged'),
                        render: (_, n) => (n.acknowledgedAt ? when(n.acknowledgedAt) : ''),
                      },
                    ]}
                  />
                ),
              }))}
            />
          )}
        </Card>
      ))}
    </Space>
  );
}
