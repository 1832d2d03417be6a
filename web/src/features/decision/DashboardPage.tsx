import { Breadcrumb, Button, Card, Col, DatePicker, Modal, Row, Space, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { type ApiData, type ApiItem, download } from '../../shared/api';
import { escapeHtml } from '../../shared/escape';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { Chart } from '../supervision/Chart';
import { FlowMap } from './FlowMap';

type Dash = ApiData<'get', '/api/v1/dashboard'>;
type Metric = Dash['metrics'][number]['key'];
type Drill = ApiItem<'/api/v1/dashboard/records'>;

/** 决策看板: live figures of the area, by child region (click to drill down) and month; records behind each count. */
export default function DashboardPage() {
  const { t, lang } = useI18n();
  const showError = useShowError();
  const [path, setPath] = useState<{ code?: string; name: string }[]>([{ name: t('本辖区', 'My area') }]);
  const within = path[path.length - 1].code;
  const [range, setRange] = useState<[string, string] | null>(null);
  const query = { within, from: range?.[0], to: range?.[1] };
  const q = useApiQuery('/api/v1/dashboard', { params: { query } });
  const d = q.data;
  const [drill, setDrill] = useState<{ metric: Metric; product?: string } | null>(null);
  const lbl = (m: { zh: string; en: string }) => (lang === 'en' ? m.en : m.zh);
  const byRegion = useMemo(
    () =>
      d && {
        tooltip: {
          trigger: 'axis',
          formatter: (ps: { name: string; seriesName: string; value: number }[]) =>
            `${escapeHtml(ps[0]?.name)}<br/>${ps.map((p) => `${escapeHtml(p.seriesName)}: ${escapeHtml(p.value)}`).join('<br/>')}`,
        },
        legend: { bottom: 0 },
        grid: { bottom: 60, containLabel: true },
        xAxis: { type: 'category', data: d.byRegion.map((r) => r.name), axisLabel: { rotate: 30 } },
        yAxis: { type: 'value' },
        series: (['approved', 'certificates', 'samples', 'failed'] as const).map((k) => ({
          name: lbl(d.metrics.find((m) => m.key === k) ?? { zh: k, en: k }),
          type: 'bar',
          data: d.byRegion.map((r) => r.counts[k]),
        })),
      },
    [d, lang],
  );
  const byMonth = useMemo(
    () =>
      d && {
        tooltip: {
          trigger: 'axis',
          formatter: (ps: { name: string; seriesName: string; value: number }[]) =>
            `${escapeHtml(ps[0]?.name)}<br/>${ps.map((p) => `${escapeHtml(p.seriesName)}: ${escapeHtml(p.value)}`).join('<br/>')}`,
        },
        legend: { bottom: 0 },
        grid: { bottom: 50, containLabel: true },
        xAxis: { type: 'category', data: d.byMonth.map((m) => m.month) },
        yAxis: { type: 'value' },
        series: (['certificates', 'scans', 'samples', 'failed'] as const).map((k) => ({
          name: lbl(d.metrics.find((m) => m.key === k) ?? { zh: k, en: k }),
          type: 'bar',
          data: d.byMonth.map((m) => m.counts[k]),
        })),
      },
    [d, lang],
  );
  return (
    <Card
      title={t('决策看板', 'Dashboard')}
      extra={
        <Space wrap>
          <DatePicker.RangePicker
            data-testid="dash-range"
            onChange={(v) => setRange(v?.[0] && v[1] ? [v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')] : null)}
          />
          <Button
            onClick={() => download('/api/v1/dashboard.xlsx', { params: { query } }, 'dashboard.xlsx').catch(showError)}
          >
            {t('导出 Excel', 'Export Excel')}
          </Button>
          <Button
            data-testid="dash-report"
            onClick={() =>
              download(
                '/api/v1/dashboard/monthly-report.pdf',
                { params: { query: { within, month: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7) } } },
                'report.pdf',
              ).catch(showError)
            }
          >
            {t('本月报告 PDF', 'Monthly report (PDF)')}
          </Button>
        </Space>
      }
    >
      <Breadcrumb
        items={path.map((p, i) => ({ title: <a onClick={() => setPath(path.slice(0, i + 1))}>{p.name}</a> }))}
      />
      <ErrorText error={q.error} />
      {d && (
        <>
          <p>
            {d.divisionName} · {lbl(d.levelLabel)} · {d.from} — {d.to}
          </p>
          <Row gutter={[12, 12]}>
            {d.metrics.map((m) => (
              <Col xs={12} sm={8} md={6} lg={4} key={m.key}>
                <Card size="small" hoverable onClick={() => setDrill({ metric: m.key })} data-testid={`kpi-${m.key}`}>
                  <Statistic title={lbl(m)} value={d.totals[m.key]} />
                </Card>
              </Col>
            ))}
            <Col xs={12} sm={8} md={6} lg={4}>
              <Card size="small">
                <Statistic title={t('名录注册率', 'Registration rate')} value={d.registrationRate ?? '-'} suffix="%" />
              </Card>
            </Col>
            <Col xs={12} sm={8} md={6} lg={4}>
              <Card size="small">
                <Statistic title={t('抽检不合格率', 'Failure rate')} value={d.failureRate ?? '-'} suffix="%" />
              </Card>
            </Col>
          </Row>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('分地区（点击下钻）', 'By region (click to drill down)')}>
                {byRegion && <Chart option={byRegion} testId="dash-regions" />}
                <Table
                  size="small"
                  rowKey="code"
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  dataSource={d.byRegion}
                  onRow={(r) => ({ onClick: () => setPath([...path, { code: r.code, name: r.name }]) })}
                  columns={[
                    { title: t('地区', 'Region'), dataIndex: 'name', render: (v: string) => <a>{v}</a> },
                    { title: t('注册', 'Registered'), render: (_, r) => r.counts.approved },
                    { title: t('合格证', 'Certificates'), render: (_, r) => r.counts.certificates },
                    { title: t('巡查', 'Patrols'), render: (_, r) => r.counts.patrols },
                    { title: t('抽检', 'Samples'), render: (_, r) => r.counts.samples },
                    { title: t('不合格', 'Failed'), render: (_, r) => r.counts.failed },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('分月份', 'By month')}>
                {byMonth && <Chart option={byMonth} />}
              </Card>
            </Col>
          </Row>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('抽检（产品 × 地区 × 月份）', 'Samples (product × region × month)')}>
                <Table
                  size="small"
                  rowKey={(r) => `${r.product}|${r.region}|${r.month}`}
                  scroll={{ x: 'max-content' }}
                  dataSource={d.failures}
                  columns={[
                    { title: t('产品', 'Product'), dataIndex: 'product' },
                    { title: t('地区', 'Region'), dataIndex: 'regionName' },
                    { title: t('月份', 'Month'), dataIndex: 'month' },
                    { title: t('样品', 'Samples'), dataIndex: 'samples' },
                    {
                      title: t('不合格', 'Failed'),
                      dataIndex: 'failed',
                      render: (v: number, r) => (
                        <a onClick={() => setDrill({ metric: 'failed', product: r.product })}>{v}</a>
                      ),
                    },
                    { title: t('不合格率%', 'Failure %'), dataIndex: 'rate' },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('交易流向', 'Trade flows')}>
                <FlowMap data={d.flowMap} />
                <Typography.Text type="secondary">
                  {t(
                    '线宽为交易笔数（区县及以上各级之间；同一地区内的交易只列在表中）。下表为交易最多的流向，含流入和流出本辖区。',
                    'Line width: trades (between regions down to county; trades inside one region are in the table only). The table lists the largest flows into and out of the area.',
                  )}
                </Typography.Text>
                <Table
                  size="small"
                  rowKey={(r) => `${r.from}>${r.to}`}
                  scroll={{ x: 'max-content' }}
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  dataSource={d.flows}
                  columns={[
                    { title: t('来源', 'From'), dataIndex: 'fromName' },
                    { title: t('去向', 'To'), dataIndex: 'toName' },
                    { title: t('交易笔数', 'Trades'), dataIndex: 'trades' },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
      {drill && <DrillModal query={{ ...query, ...drill }} onClose={() => setDrill(null)} />}
    </Card>
  );
}

function DrillModal({
  query,
  onClose,
}: {
  query: { metric: Metric; product?: string; within?: string; from?: string; to?: string };
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { tableProps, error } = usePagedTable('/api/v1/dashboard/records', query);
  return (
    <Modal open onCancel={onClose} footer={null} width={900} title={t('明细记录', 'Records')}>
      <ErrorText error={error} />
      <Table<Drill>
        rowKey="id"
        size="small"
        scroll={{ x: 'max-content' }}
        {...tableProps}
        columns={[
          {
            title: t('记录', 'Record'),
            dataIndex: 'title',
            render: (v: string, r) => (r.link ? <a href={r.link}>{v}</a> : v),
          },
          { title: t('地区', 'Region'), dataIndex: 'divisionName' },
          {
            title: t('时间', 'Time'),
            dataIndex: 'at',
            render: (v: string | null) => (v ? new Date(v).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') : ''),
          },
          {
            title: t('状态', 'Status'),
            render: (_, r) => (r.statusLabel ? (lang === 'en' ? r.statusLabel.en : r.statusLabel.zh) : ''),
          },
        ]}
      />
    </Modal>
  );
}
