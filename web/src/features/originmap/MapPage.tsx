import {
  Breadcrumb,
  Card,
  Col,
  DatePicker,
  Empty,
  List,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Typography,
} from 'antd';
import * as echarts from 'echarts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type ApiData, type ApiQuery, http } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { escapeHtml } from '../../shared/escape';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';
import { ProductSelect, useProducts } from './common';
import { RecordDrawer } from './RecordDrawer';

type Feature = ApiData<'get', '/api/v1/origin/boundaries'>['features'][number];
type MapAnswer = ApiData<'get', '/api/v1/origin/map'>;
type Filter = Pick<ApiQuery<'/api/v1/origin/map'>, 'product' | 'minScale' | 'maxScale' | 'marketFrom' | 'marketTo'>;
type Box = { west: number; south: number; east: number; north: number };

const registered = new Set<string>();
function boxOf(features: Feature[]): Box {
  let west = 180,
    south = 90,
    east = -180,
    north = -90;
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      west = Math.min(west, x);
      east = Math.max(east, x);
      south = Math.min(south, y);
      north = Math.max(north, y);
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  for (const f of features) walk(f.geometry.coordinates);
  return { west, south, east, north };
}

/**
 * "一张图": bundled boundaries (province → city → county drill-down, offline), server-side clustered points in the
 * visible area, filters, details on click, and summary charts of counts and scale by division.
 */
export default function MapPage() {
  const { t, lang } = useI18n();
  const pname = (x: { productName: string; productNameEn: string }) =>
    lang === 'en' ? x.productNameEn : x.productName;
  const products = useProducts().data;
  const [path, setPath] = useState<{ code: string; name: string }[]>([{ code: '', name: '全国' }]);
  // Open on the caller's own jurisdiction (down to county, the deepest level with boundaries); drill up by the breadcrumb.
  const scope = useAuth().me?.scope ?? '';
  useEffect(() => {
    const home = scope.slice(0, 6);
    if (!home) return;
    http
      .get('/api/v1/divisions/{code}', { params: { path: { code: home } } })
      .then((d) => setPath(d.path.map((x) => ({ code: x.code, name: x.level === 0 ? '全国' : x.name }))))
      .catch(() => {});
  }, [scope]);
  const code = path[path.length - 1].code;
  const [filter, setFilter] = useState<Filter>({});
  const [box, setBox] = useState<Box>();
  const [answer, setAnswer] = useState<MapAnswer>();
  // The rollup's scale band edges (sent with every answer; the first answer has no filter).
  const scaleOptions = useMemo(
    () =>
      (answer?.scaleEdges ?? []).map((e) => ({ value: e, label: e.toLocaleString(lang === 'en' ? 'en' : 'zh-CN') })),
    [answer?.scaleEdges, lang],
  );
  const [error, setError] = useState<unknown>();
  const [detail, setDetail] = useState<string>();
  const [metric, setMetric] = useState<'count' | 'scale'>('count');
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const bar = useRef<HTMLDivElement>(null);
  const within = code.length >= 2 ? code : undefined;
  const summary = useApiQuery('/api/v1/origin/summary', { params: { query: { ...filter, within } } });

  // Boundaries of the current level.
  useEffect(() => {
    if (!el.current) return;
    const c = chart.current ?? echarts.init(el.current);
    chart.current = c;
    let cancelled = false;
    (async () => {
      try {
        const fc = await http.get('/api/v1/origin/boundaries', { params: { query: { code } } });
        if (cancelled) return;
        const name = `origin-${code || 'china'}`;
        if (!registered.has(name)) {
          echarts.registerMap(name, {
            type: 'FeatureCollection',
            features: fc.features.map((f) => ({
              ...f,
              type: 'Feature',
              properties: { ...f.properties, name: f.properties.code },
            })),
          } as never);
          registered.add(name);
        }
        const names = Object.fromEntries(fc.features.map((f) => [f.properties.code, f.properties.name]));
        c.setOption(
          {
            tooltip: { trigger: 'item' },
            geo: {
              map: name,
              roam: true,
              nameMap: names,
              label: { show: code.length >= 2, fontSize: 10, color: '#666' },
              itemStyle: { areaColor: '#f3f6f4', borderColor: '#9ab' },
              emphasis: { itemStyle: { areaColor: '#dfeee5' } },
            },
            series: [],
          },
          { notMerge: true },
        );
        setBox(boxOf(fc.features));
      } catch (e) {
        setError(e);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [code]);

  // Events: drill down on a region, open a point, zoom into a cluster, re-query on pan/zoom.
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const onClick = (p: { componentType: string; name?: string; data?: { id?: string; value: number[] } }) => {
      if (p.componentType === 'geo' && p.name && code.length < 6) {
        const fname =
          (c.getOption() as { geo: { nameMap: Record<string, string> }[] }).geo[0].nameMap[p.name] ?? p.name;
        setPath([...path, { code: p.name, name: fname }]);
      } else if (p.componentType === 'series' && p.data?.id) setDetail(p.data.id);
    };
    const onRoam = () => {
      const w = c.getWidth();
      const h = c.getHeight();
      const a = c.convertFromPixel({ geoIndex: 0 }, [0, 0]) as number[];
      const b = c.convertFromPixel({ geoIndex: 0 }, [w, h]) as number[];
      if (a && b)
        setBox({
          west: Math.max(-180, a[0]),
          north: Math.min(90, a[1]),
          east: Math.min(180, b[0]),
          south: Math.max(-90, b[1]),
        });
    };
    c.on('click', onClick as never);
    c.on('georoam', onRoam);
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      c.off('click', onClick as never);
      c.off('georoam', onRoam);
      window.removeEventListener('resize', resize);
    };
  }, [code, path]);

  // Clusters / points of the visible area.
  useEffect(() => {
    if (!box) return;
    const id = setTimeout(async () => {
      try {
        const a = await http.get('/api/v1/origin/map', { params: { query: { ...box, ...filter, within } } });
        setAnswer(a);
        setError(undefined);
        const maxCount = Math.max(1, ...a.clusters.map((x) => x.count));
        chart.current?.setOption({
          series: [
            {
              type: 'scatter',
              coordinateSystem: 'geo',
              name: t('聚合', 'Clusters'),
              data: a.clusters.map((x) => ({ value: [x.lng, x.lat, x.count], name: `${x.count}` })),
              symbolSize: (v: number[]) => 12 + 30 * Math.sqrt(v[2] / maxCount),
              itemStyle: { color: 'rgba(22,119,255,0.75)' },
              label: {
                show: true,
                formatter: (p: { value: number[] }) => String(p.value[2]),
                color: '#fff',
                fontSize: 10,
              },
              tooltip: {
                formatter: (p: { value: number[] }) =>
                  t(`${p.value[2]} 个基地，放大查看`, `${p.value[2]} bases; zoom in`),
              },
            },
            {
              type: 'scatter',
              coordinateSystem: 'geo',
              name: t('基地', 'Bases'),
              symbolSize: 12,
              itemStyle: { color: '#52c41a', borderColor: '#fff', borderWidth: 1 },
              data: a.points.map((p) => ({
                id: p.id,
                value: [p.lng, p.lat],
                name: `${p.subjectName} · ${pname(p)} ${p.scale}`,
              })),
              tooltip: { formatter: (p: { name: string }) => escapeHtml(p.name) },
            },
          ],
        });
      } catch (e) {
        setError(e);
      }
    }, 250);
    return () => clearTimeout(id);
  }, [JSON.stringify(box), JSON.stringify(filter), within, lang]);

  // Summary chart: counts by child division, stacked by product.
  const bars = useMemo(() => {
    const rows = summary.data?.rows ?? [];
    const divs = [...new Set(rows.map((r) => r.divisionName))];
    const prods = [...new Set(rows.map(pname))];
    return {
      divs,
      series: prods.map((p) => ({
        type: 'bar',
        stack: 'n',
        name: p,
        data: divs.map((d) =>
          rows
            .filter((r) => r.divisionName === d && pname(r) === p)
            .reduce((s, r) => s + (metric === 'count' ? r.count : r.scale), 0),
        ),
      })),
    };
  }, [summary.data, metric, lang]);
  useEffect(() => {
    if (!bar.current) return;
    // SVG: the legend and the axis labels are elements a browser test can measure (no overlap on a phone).
    const c = echarts.getInstanceByDom(bar.current) ?? echarts.init(bar.current, undefined, { renderer: 'svg' });
    c.setOption(
      {
        tooltip: { trigger: 'axis' },
        // The legend has its own strip at the bottom and the grid keeps the (rotated) axis labels inside it
        // (containLabel), so legend and axis labels never overlap, on a phone either.
        legend: { type: 'scroll', bottom: 0, left: 'center' },
        grid: { left: 8, right: 12, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: 'category', data: bars.divs, axisLabel: { rotate: 40 } },
        yAxis: { type: 'value' },
        series: bars.series,
      },
      { notMerge: true },
    );
  }, [bars]);
  useEffect(
    () => () => {
      chart.current?.dispose();
    },
    [],
  );

  const total = summary.data?.rows.reduce((s, r) => s + r.count, 0) ?? 0;
  return (
    <Card title={t('产地溯源“一张图”', 'Origin map')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <ProductSelect
          products={products}
          value={filter.product?.split(',')}
          onChange={(v) => setFilter({ ...filter, product: v.length ? v.join(',') : undefined })}
          testId="map-filter-product"
        />
        {/* Scale bands and whole months: the map answers these from its rollups alone (docs/originmap.md); the table
            (一张表) filters by any value. */}
        <Select
          allowClear
          showSearch
          style={{ minWidth: 120 }}
          placeholder={t('最小规模', 'Min scale')}
          options={scaleOptions}
          onChange={(v?: number) => setFilter({ ...filter, minScale: v ?? undefined })}
          data-testid="map-filter-min-scale"
        />
        <Select
          allowClear
          showSearch
          style={{ minWidth: 120 }}
          placeholder={t('最大规模', 'Max scale')}
          options={scaleOptions}
          onChange={(v?: number) => setFilter({ ...filter, maxScale: v ?? undefined })}
          data-testid="map-filter-max-scale"
        />
        <DatePicker.RangePicker
          picker="month"
          placeholder={[t('上市期起（月）', 'On market from (month)'), t('止', 'to')]}
          onChange={(v) =>
            setFilter({
              ...filter,
              marketFrom: v?.[0] ? v[0].startOf('month').format('YYYY-MM-DD') : undefined,
              marketTo: v?.[1] ? v[1].endOf('month').format('YYYY-MM-DD') : undefined,
            })
          }
        />
      </Space>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={path.map((p, i) => ({
          title:
            i < path.length - 1 ? (
              <a onClick={() => setPath(path.slice(0, i + 1))} data-testid={`map-crumb-${p.code || 'china'}`}>
                {p.name}
              </a>
            ) : (
              <span data-testid="map-current">{p.name}</span>
            ),
        }))}
      />
      <ErrorText error={error} />
      <Row gutter={16}>
        <Col xs={24} lg={17}>
          <div ref={el} style={{ height: 520, border: '1px solid #eee', borderRadius: 8 }} data-testid="origin-map" />
          <Typography.Text type="secondary">
            {t(
              '点击区域逐级查看（省→市→县）；滚轮或双指缩放；点击绿色点位看详情。地图边界离线内置。',
              'Click a region to drill down (province → city → county); zoom with the wheel or two fingers; click a green point for details. Boundaries are bundled (offline).',
            )}
          </Typography.Text>
        </Col>
        <Col xs={24} lg={7}>
          <Statistic
            title={t('视野内基地数', 'Bases in view')}
            value={answer?.total ?? 0}
            valueRender={(n) => <span data-testid="map-total">{n}</span>}
          />
          <Statistic title={t('本地区记录数', 'Records in this area')} value={total} />
          {answer?.points.length ? (
            <List
              size="small"
              style={{ maxHeight: 360, overflow: 'auto' }}
              data-testid="map-points"
              dataSource={answer.points}
              renderItem={(p) => (
                <List.Item onClick={() => setDetail(p.id)} style={{ cursor: 'pointer' }}>
                  {p.subjectName} · {pname(p)} {p.scale}{' '}
                  <code>
                    {p.lng.toFixed(4)}, {p.lat.toFixed(4)}
                  </code>
                </List.Item>
              )}
            />
          ) : (
            <Empty description={t('放大到县级可查看单个基地', 'Zoom in to see single bases')} />
          )}
        </Col>
      </Row>
      <Space style={{ marginTop: 16, marginBottom: 8 }} wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('按地区和品种统计', 'By division and product')}
        </Typography.Title>
        <Segmented
          value={metric}
          onChange={(v) => setMetric(v as 'count' | 'scale')}
          options={[
            { value: 'count', label: t('基地数', 'Bases') },
            { value: 'scale', label: t('规模（亩/头/只，按品种）', 'Scale (per product unit)') },
          ]}
        />
      </Space>
      <div ref={bar} style={{ height: 300 }} data-testid="origin-summary" />
      <RecordDrawer id={detail} onClose={() => setDetail(undefined)} />
    </Card>
  );
}
