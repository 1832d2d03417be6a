import { Button, Card, Col, InputNumber, Row, Space, Statistic } from 'antd';
import { useMemo, useState } from 'react';
import { download } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';
import { label } from './api';
import { Chart } from './Chart';

/** 监管统计 per jurisdiction with charts and Excel export. */
export default function StatsPage() {
  const { t, lang } = useI18n();
  const showError = useShowError();
  const [year, setYear] = useState(Number(new Date().toISOString().slice(0, 4)));
  const s = useApiQuery('/api/v1/supervision/stats', { params: { query: { year } } });
  const d = s.data;
  const monthly = useMemo(
    () =>
      d && {
        tooltip: {},
        legend: {},
        xAxis: { type: 'category' as const, data: d.patrols.byMonth.map((m) => `${m.month}月`) },
        yAxis: { type: 'value' as const },
        series: [
          { name: t('合格', 'Pass'), type: 'bar' as const, stack: 'p', data: d.patrols.byMonth.map((m) => m.pass) },
          {
            name: t('限期整改', 'Rectify'),
            type: 'bar' as const,
            stack: 'p',
            data: d.patrols.byMonth.map((m) => m.rectify),
          },
          { name: t('不合格', 'Fail'), type: 'bar' as const, stack: 'p', data: d.patrols.byMonth.map((m) => m.fail) },
        ],
      },
    [d, t],
  );
  const rates = useMemo(
    () =>
      d && {
        tooltip: {},
        xAxis: { type: 'category' as const, data: d.tests.byProduct.map((p) => p.product) },
        yAxis: { type: 'value' as const, max: 100, name: '%' },
        series: [
          {
            name: t('合格率', 'Pass rate'),
            type: 'bar' as const,
            data: d.tests.byProduct.map((p) => p.passRate ?? 0),
            label: { show: true, position: 'top' as const },
          },
        ],
      },
    [d, t],
  );
  const items = useMemo(
    () =>
      d && {
        tooltip: {},
        xAxis: { type: 'category' as const, data: d.tests.byItem.map((p) => p.item) },
        yAxis: { type: 'value' as const, max: 100, name: '%' },
        series: [
          { name: t('合格率', 'Pass rate'), type: 'bar' as const, data: d.tests.byItem.map((p) => p.passRate ?? 0) },
        ],
      },
    [d, t],
  );
  const cases = useMemo(
    () =>
      d && {
        tooltip: {},
        series: [
          {
            type: 'pie' as const,
            radius: '60%',
            data: d.cases.byType.map((c) => ({ name: label(lang, c.zh, c.en).slice(0, 12), value: c.total })),
          },
        ],
      },
    [d, lang],
  );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={t('监管统计', 'Supervision statistics')}
        extra={
          <Space>
            <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} />
            <Button
              data-testid="stats-export"
              onClick={() =>
                download(
                  '/api/v1/supervision/stats.xlsx',
                  { params: { query: { year } } },
                  `supervision-${year}.xlsx`,
                ).catch(showError)
              }
            >
              {t('导出 Excel', 'Export Excel')}
            </Button>
          </Space>
        }
      >
        <ErrorText error={s.error} />
        {d && (
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Statistic title={t('计划巡查', 'Planned patrols')} value={d.patrols.planned} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('已巡查', 'Patrols done')} value={d.patrols.done} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('完成率', 'Completion')} value={d.patrols.completion ?? '-'} suffix="%" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('执法案件', 'Cases')} value={d.cases.byType.reduce((a, c) => a + c.total, 0)} />
            </Col>
          </Row>
        )}
      </Card>
      {d && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card title={t('每月巡查', 'Patrols per month')}>
              {monthly && <Chart option={monthly} testId="chart-patrols" />}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('检测合格率（按产品）', 'Pass rate by product')}>
              {rates && <Chart option={rates} testId="chart-products" />}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('检测合格率（按项目）', 'Pass rate by item')}>{items && <Chart option={items} />}</Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('执法案件（按违法类型）', 'Cases by violation type')}>
              {cases && <Chart option={cases} />}
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
