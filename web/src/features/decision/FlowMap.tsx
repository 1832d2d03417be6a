import { Empty } from 'antd';
import { useMemo } from 'react';
import type { ApiData } from '../../shared/api';
import { escapeHtml } from '../../shared/escape';
import { useI18n } from '../../shared/i18n';
import { GeoChart } from './GeoChart';

type FlowMapData = ApiData<'get', '/api/v1/dashboard'>['flowMap'];

/**
 * 交易流向图: trade flows between regions as lines over the bundled (offline) boundaries of the smallest map holding
 * every end (`flowMap.backdrop`); width by trades; tooltips escaped. Trades inside one region are in the table only.
 */
export function FlowMap({ data, height = 320 }: { data: FlowMapData; height?: number }) {
  const { t, lang } = useI18n();
  const { points, series } = useMemo(() => {
    const max = Math.max(1, ...data.lines.map((l) => l.trades));
    const ends = new Map<string, { name: string; value: number[]; trades: number }>();
    for (const l of data.lines)
      for (const [code, label, point] of [
        [l.from, l.fromName, l.fromPoint],
        [l.to, l.toName, l.toPoint],
      ] as const) {
        const e = ends.get(code) ?? { name: label, value: [...point], trades: 0 };
        e.trades += l.trades;
        ends.set(code, e);
      }
    return {
      points: data.lines.flatMap((l) => [l.fromPoint, l.toPoint]),
      series: [
        {
          type: 'lines',
          data: data.lines.map((l) => ({
            coords: [l.fromPoint, l.toPoint],
            from: l.fromName,
            to: l.toName,
            trades: l.trades,
            lineStyle: { width: 1 + 5 * (l.trades / max) },
          })),
          lineStyle: { color: '#1677ff', opacity: 0.7, curveness: 0.2 },
          symbol: ['none', 'arrow'],
          symbolSize: 8,
          tooltip: {
            formatter: (p: { data: { from: string; to: string; trades: number } }) =>
              `${escapeHtml(p.data.from)} → ${escapeHtml(p.data.to)}<br/>${escapeHtml(t('交易笔数', 'Trades'))}: ${escapeHtml(p.data.trades)}`,
          },
        },
        {
          type: 'scatter',
          data: [...ends.values()],
          symbolSize: (_: unknown, p: { data: { trades: number } }) => 6 + 10 * Math.sqrt(p.data.trades / max),
          itemStyle: { color: '#fa8c16' },
          tooltip: {
            formatter: (p: { data: { name: string; trades: number } }) =>
              `${escapeHtml(p.data.name)}<br/>${escapeHtml(t('进出交易笔数', 'Trades in and out'))}: ${escapeHtml(p.data.trades)}`,
          },
        },
      ],
    };
  }, [data, lang]);
  if (data.lines.length === 0)
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('暂无跨地区交易', 'No trades between regions')} />
    );
  return <GeoChart backdrop={data.backdrop} points={points} series={series} height={height} testId="dash-flowmap" />;
}
