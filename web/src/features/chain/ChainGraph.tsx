import { GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ApiData } from '../../shared/api';
import { escapeHtml } from '../../shared/escape';
import { useI18n } from '../../shared/i18n';
import { chainNodeTooltip, ownerLabel } from './tooltip';

type Graph = ApiData<'get', '/api/v1/batches/{id}/graph'>;
type Trace = ApiData<'get', '/api/v1/batches/{id}/forward'>;
/** A lot with its names in place: the API sends owner, product and division names once, in dictionaries. */
export type LineageNode = Graph['nodes'][number] & {
  productName: string | null;
  subjectName: string | null;
  divisionName: string;
};
export type LineageEdge = Graph['edges'][number];

/** The lots of a graph or trace answer with their names read from its dictionaries. */
export function namedNodes(g: Pick<Graph | Trace, 'nodes' | 'subjects' | 'products' | 'divisions'>): LineageNode[] {
  return g.nodes.map((n) => ({
    ...n,
    productName: n.productId === null ? null : (g.products[n.productId] ?? null),
    subjectName: n.subjectId === null ? null : (g.subjects[n.subjectId] ?? null),
    divisionName: g.divisions[n.divisionCode] ?? n.divisionCode,
  }));
}

echarts.use([GraphChart, TooltipComponent, CanvasRenderer]);

/**
 * The chain as an ECharts graph: columns by depth (sources left, holders right), recalled lots in red, lots outside the
 * viewer's jurisdiction grey and labelled 辖区外主体 with their division.
 */
export function ChainGraph({
  nodes,
  edges,
  rootId,
  onPick,
  height = 460,
}: {
  nodes: LineageNode[];
  edges: LineageEdge[];
  rootId: string;
  onPick?: (n: LineageNode) => void;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    const byDepth = new Map<number, LineageNode[]>();
    for (const n of nodes) byDepth.set(n.depth, [...(byDepth.get(n.depth) ?? []), n]);
    const data = nodes.map((n) => {
      const col = byDepth.get(n.depth) ?? [];
      const i = col.indexOf(n);
      return {
        id: n.batchId,
        name: `${ownerLabel(n, t)}\n${n.productName ?? ''} ${n.quantity}${n.unit}`,
        x: n.depth * 220,
        y: (i - (col.length - 1) / 2) * 90,
        symbolSize: n.batchId === rootId ? 26 : 18,
        itemStyle: {
          color: n.recall
            ? '#c62828'
            : n.batchId === rootId
              ? '#1565c0'
              : n.masked
                ? '#9e9e9e'
                : n.kind === 'production'
                  ? '#2e7d32'
                  : '#f9a825',
        },
        label: { show: nodes.length <= 60, position: 'bottom' as const, fontSize: 11 },
        node: n,
      };
    });
    chart.setOption({
      tooltip: {
        formatter: (p: { dataType: string; data: { node?: LineageNode; source?: string; value?: string } }) => {
          const n = p.data.node;
          return n ? chainNodeTooltip(n, t) : escapeHtml(p.data.value ?? '');
        },
      },
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          draggable: false,
          data,
          links: edges.map((e) => ({
            source: e.from,
            target: e.to,
            value: `${e.quantity ?? ''}${e.unit ?? ''} · ${new Date(e.time).toLocaleDateString('zh-CN')}`,
            label: { show: edges.length <= 40, formatter: `${e.quantity ?? ''}${e.unit ?? ''}`, fontSize: 10 },
          })),
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 8,
          lineStyle: { color: '#90a4ae', width: 1.5, curveness: 0.1 },
        },
      ],
    });
    chart.on('click', (p) => {
      const n = (p.data as { node?: LineageNode } | undefined)?.node;
      if (n && onPick) onPick(n);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [nodes, edges, rootId, onPick, t]);
  return <div ref={el} style={{ width: '100%', height }} data-testid="chain-graph" />;
}
