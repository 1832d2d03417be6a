import { Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { ScanInput } from '../../shared/ui/ScanInput';
import { useApiQuery } from '../../shared/useApiQuery';
import { PlatformName } from '../../shared/ui/PlatformName';

type Lineage = ApiData<'get', '/api/v1/network/lineage'>;
type Node = Lineage['nodes'][number];
type Edge = Lineage['edges'][number];

const STEP_NAMES: Record<string, [string, string]> = {
  commissioning: ['赋码', 'Code issued'],
  shipping: ['发货', 'Shipped'],
  receiving: ['收货', 'Received'],
  transforming: ['分装/合并', 'Split / merged'],
  recalling: ['召回', 'Recalled'],
  returning: ['退货', 'Returned'],
};

/** 全国链条：国家平台按追溯码查看跨平台的完整链条（由各省共享的追溯事件汇成），每一步注明平台。 */
export default function NetworkLineagePage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const current = params.get('code') ?? '';
  const [code, setCode] = useState(current);
  const q = useApiQuery('/api/v1/network/lineage', { params: { query: { code: current } } }, { enabled: !!current });
  const g = q.data;
  const codeOf = new Map(g?.nodes.map((n) => [n.key, n]) ?? []);
  const nodeLabel = (key: string) => {
    const n = codeOf.get(key);
    return n?.masked || !n ? t('辖区外批次', 'A lot outside your jurisdiction') : (n.code ?? key);
  };
  const step = (s: string) => {
    const n = STEP_NAMES[s];
    return n ? t(n[0], n[1]) : s;
  };
  const search = () => code.trim() && setParams({ code: code.trim() });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('全国链条（跨平台）', 'Chains across platforms')}>
        <Typography.Paragraph type="secondary">
          {t(
            '输入任一平台签发的追溯码，查看汇总到国家平台的完整链条，每个批次和每一步都注明所在平台。',
            'Enter a trace code issued by any platform to see the whole chain gathered at national, each lot and step with its platform.',
          )}
        </Typography.Paragraph>
        <div style={{ maxWidth: 640 }}>
          <ScanInput
            testId="network-trace"
            value={code}
            onChange={setCode}
            onPressEnter={search}
            placeholder={t('输入或扫描追溯码', 'Type or scan a trace code')}
            data-testid="network-code"
            after={
              <Button size="large" type="primary" onClick={search} data-testid="network-find">
                {t('查询', 'Trace')}
              </Button>
            }
          />
        </div>
      </Card>
      <ErrorText error={q.error} />
      {g && (
        <Card
          title={t('链条', 'The chain')}
          extra={
            <Space wrap>
              {g.platforms.map((p) => (
                <Tag key={p} color="purple">
                  <PlatformName id={p} />
                </Tag>
              ))}
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">
            {t(
              `共 ${g.nodes.length} 个批次，涉及 ${g.platforms.length} 个平台；层级为负数的是来源，正数的是流向。`,
              `${g.nodes.length} lots on ${g.platforms.length} platforms; negative depth = sources, positive = holders downstream.`,
            )}
          </Typography.Paragraph>
          <Table<Node>
            rowKey="key"
            size="small"
            data-testid="network-nodes"
            dataSource={[...g.nodes].sort((a, b) => a.depth - b.depth)}
            pagination={{ pageSize: 20 }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('层级', 'Depth'), dataIndex: 'depth' },
              {
                title: t('追溯码', 'Code'),
                render: (_, n) =>
                  n.masked ? (
                    <Tag>{t('辖区外批次', 'Outside your jurisdiction')}</Tag>
                  ) : (
                    <span data-userdata>{n.code}</span>
                  ),
              },
              {
                title: t('平台', 'Platform'),
                render: (_, n) => (
                  <Tag color="purple">
                    <PlatformName id={n.platform} />
                  </Tag>
                ),
              },
              {
                title: t('产品', 'Product'),
                render: (_, n) => <span data-userdata>{n.productName ?? '—'}</span>,
              },
              {
                title: t('数量', 'Quantity'),
                render: (_, n) => (n.quantity === null ? '—' : `${n.quantity} ${n.unit ?? ''}`),
              },
              {
                title: t('环节', 'Steps'),
                render: (_, n) => (
                  <Space size={4} wrap>
                    {n.steps.map((s) => (
                      <Tag key={s.eventId}>
                        {step(s.bizStep)} ·{' '}
                        {new Date(s.eventTime).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN')}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('流向', 'Links')}
          </Typography.Title>
          {g.edges.length === 0 ? (
            <Empty description={t('没有上下游', 'No links')} />
          ) : (
            <Table<Edge>
              rowKey={(e) => `${e.from}>${e.to}`}
              size="small"
              data-testid="network-edges"
              dataSource={g.edges}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('来源', 'From'), render: (_, e) => <span data-userdata>{nodeLabel(e.from)}</span> },
                { title: t('去向', 'To'), render: (_, e) => <span data-userdata>{nodeLabel(e.to)}</span> },
                {
                  title: t('方式', 'How'),
                  render: (_, e) => (e.kind === 'sale' ? t('销售', 'Sale') : t('分装/合并', 'Split / merge')),
                },
                {
                  title: t('平台', 'Platforms'),
                  render: (_, e) =>
                    e.fromPlatform === e.toPlatform ? (
                      <PlatformName id={e.fromPlatform} />
                    ) : (
                      <>
                        <PlatformName id={e.fromPlatform} /> → <PlatformName id={e.toPlatform} />
                      </>
                    ),
                },
                { title: t('数量', 'Quantity'), render: (_, e) => e.quantity ?? '—' },
              ]}
            />
          )}
        </Card>
      )}
    </Space>
  );
}
