import { LinesChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { http } from '../../shared/api';
import { ErrorText } from '../../shared/ui/ErrorText';

echarts.use([LinesChart, ScatterChart, GeoComponent, TooltipComponent, CanvasRenderer]);

const registered = new Set<string>();

/** The view box of some points, padded, as ECharts' geo `boundingCoords` ([[west, north], [east, south]]). */
export function boxOf(points: number[][]): number[][] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = Math.max((e - w) * 0.15, (n - s) * 0.15, 0.3);
  return [
    [w - pad, n + pad],
    [e + pad, s - pad],
  ];
}

/**
 * The bundled map (provinces '', a province 'PP' or a city 'PPCC') that holds every given division: their common
 * prefix cut to a level the bundled boundaries have.
 */
export function backdropOf(divisionCodes: string[]): string {
  if (!divisionCodes.length) return '';
  let prefix = divisionCodes[0];
  for (const c of divisionCodes) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length >= 4 ? prefix.slice(0, 4) : prefix.length >= 2 ? prefix.slice(0, 2) : '';
}

/**
 * A chart on the platform's offline boundaries (no map tiles): the children of `backdrop` drawn as the geo
 * background, zoomed to `points`, with the given ECharts series on the geo coordinate system. Tooltip formatters
 * must escape what they show (shared/escape.ts).
 */
export function GeoChart(props: {
  backdrop: string;
  points: number[][];
  series: object[];
  height?: number;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>();
  const { backdrop, points, series } = props;
  useEffect(() => {
    if (!el.current || points.length === 0) return;
    const chart = echarts.init(el.current);
    let cancelled = false;
    (async () => {
      try {
        const name = `geo-${backdrop || 'china'}`;
        if (!registered.has(name)) {
          const fc = await http.get('/api/v1/origin/boundaries', { params: { query: { code: backdrop } } });
          echarts.registerMap(name, {
            type: 'FeatureCollection',
            features: fc.features.map((f) => ({ ...f, type: 'Feature', properties: { name: f.properties.code } })),
          } as never);
          registered.add(name);
        }
        if (cancelled) return;
        chart.setOption({
          tooltip: { trigger: 'item' },
          geo: {
            map: name,
            roam: true,
            boundingCoords: boxOf(points),
            silent: true,
            itemStyle: { areaColor: '#f3f6f4', borderColor: '#9ab' },
          },
          series: series.map((s) => ({ coordinateSystem: 'geo', ...s })),
        });
      } catch (e) {
        setError(e);
      }
    })();
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      cancelled = true;
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [backdrop, points, series]);
  return (
    <>
      <ErrorText error={error} />
      <div ref={el} style={{ width: '100%', height: props.height ?? 320 }} data-testid={props.testId} />
    </>
  );
}
