import { Button, Card, Form, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { download } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { Chart } from '../supervision/Chart';
import { type UnitRow, pct, pick } from './api';

/** 考核评价: ranked units one level down, a chart, Excel, drill-down to late records, and an online patrol. */
export default function EvaluationPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const showError = useShowError();
  const [months, setMonths] = useState(6);
  const [unit, setUnit] = useState<string>();
  const e = useApiQuery('/api/v1/evaluation', { params: { query: { months, divisionCode: unit } } });
  const late = useApiQuery('/api/v1/evaluation/records', {
    params: { query: { late: true, months, divisionCode: unit } },
  });
  const patrol = useApiMutation('post', '/api/v1/online-patrols', { invalidate: ['/api/v1/online-patrols'] });
  const patrols = usePagedTable('/api/v1/online-patrols', {}, { pageSize: 10, enabled: can('evaluation.patrol') });
  const navigate = useNavigate();
  const [target, setTarget] = useState<UnitRow>();
  const d = e.data;
  const chart = useMemo(
    () =>
      d && {
        tooltip: {},
        legend: {},
        xAxis: { type: 'category' as const, data: d.units.slice(0, 20).map((u) => u.name) },
        yAxis: { type: 'value' as const, max: 100 },
        series: [{ name: t('得分', 'Score'), type: 'bar' as const, data: d.units.slice(0, 20).map((u) => u.score) }],
      },
    [d, t],
  );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          d ? (
            <>
              {t('考核评价', 'Evaluation')} ·{' '}
              {d.divisionCode === '' ? t('全国', 'National') : <span data-userdata>{d.name}</span>} ·{' '}
              {pick(lang, d.unitLevelZh, d.unitLevelEn)}
            </>
          ) : (
            t('考核评价', 'Evaluation')
          )
        }
        extra={
          <Space wrap>
            {unit && <Button onClick={() => setUnit(undefined)}>{t('返回本级', 'Back to my level')}</Button>}
            <InputNumber
              min={1}
              max={24}
              value={months}
              onChange={(v) => v && setMonths(v)}
              addonAfter={t('个月', 'months')}
            />
            <Button
              onClick={() =>
                download('/api/v1/evaluation/export', { params: { query: { months, divisionCode: unit } } }).catch(
                  showError,
                )
              }
            >
              {t('导出 Excel', 'Export Excel')}
            </Button>
          </Space>
        }
      >
        <ErrorText error={e.error} />
        {chart && <Chart option={chart} testId="chart-evaluation" />}
        <Table<UnitRow>
          rowKey="code"
          size="small"
          dataSource={d?.units}
          loading={e.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('排名', 'Rank'), dataIndex: 'rank' },
            {
              title: t('单位', 'Unit'),
              render: (_, u) => (
                <Button type="link" onClick={() => setUnit(u.code)} data-userdata>
                  {u.name}
                </Button>
              ),
            },
            { title: t('得分', 'Score'), dataIndex: 'score' },
            { title: t('持续性', 'Continuity'), render: (_, u) => pct(u.continuity) },
            {
              title: t('及时性', 'Timeliness'),
              render: (_, u) => (
                <span data-testid={`eval-late-${u.code}`}>
                  {pct(u.timeliness)} ({t('迟报', 'late')} {u.late})
                </span>
              ),
            },
            { title: t('审核通过率', 'Pass rate'), render: (_, u) => pct(u.passRate) },
            { title: t('退回率', 'Return rate'), render: (_, u) => pct(u.returnRate) },
            { title: t('巡检问题/千条', 'Flags/1000'), render: (_, u) => u.flagsPer1000 ?? '–' },
            { title: t('完整度', 'Completeness'), render: (_, u) => pct(u.completeness) },
            { title: t('记录', 'Records'), dataIndex: 'records' },
            { title: t('活跃账号', 'Active accounts'), dataIndex: 'activeAccounts' },
            { title: t('逾期整改', 'Overdue notices'), dataIndex: 'overdueNotices' },
            {
              title: t('对接共享', 'Connection and sharing'),
              render: (_, u) => <ConnectionCell c={u.connection} />,
            },
            {
              title: t('网上巡检', 'Online patrol'),
              render: (_, u) =>
                can('evaluation.patrol') && (
                  <Button size="small" onClick={() => setTarget(u)}>
                    {t('抽查', 'Sample')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Snapshots divisionCode={unit} />
      <Card title={t('迟报记录（超过时限上传）', 'Late records (uploaded after the limit)')}>
        <Table
          rowKey={(r) => `${r.resource}-${r.recordId}`}
          size="small"
          dataSource={late.data?.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('类别', 'Resource'),
              key: 'resource',
              render: (_, r) => pick(lang, r.resourceLabel.zh, r.resourceLabel.en),
            },
            { title: t('作业时间', 'Work done'), render: (_, r) => r.workAt?.slice(0, 10) },
            { title: t('上传时间', 'Uploaded'), render: (_, r) => r.uploadedAt.slice(0, 10) },
            { title: t('目录版本', 'Catalogue version'), dataIndex: 'catalogVersion' },
            {
              title: t('区划', 'Division'),
              dataIndex: 'divisionCode',
              render: (c) => <DivisionName code={c} withCode />,
            },
          ]}
        />
      </Card>
      {can('evaluation.patrol') && (
        <Card
          title={t('网上巡检记录', 'Online patrols')}
          extra={<Link to="/evaluation/notices">{t('整改通知', 'Rectification notices')}</Link>}
        >
          <ErrorText error={patrols.error} />
          <Table
            rowKey="id"
            size="small"
            scroll={{ x: 'max-content' }}
            {...patrols.tableProps}
            columns={[
              {
                title: t('时间', 'Created'),
                render: (_, p) => (
                  <Link to={`/evaluation/patrols/${p.id}`}>{p.createdAt.slice(0, 16).replace('T', ' ')}</Link>
                ),
              },
              {
                title: t('抽查区划', 'Division'),
                dataIndex: 'targetDivision',
                render: (c) => <DivisionName code={c} />,
              },
              { title: t('样本', 'Sample'), render: (_, p) => `${p.sampleSize} / ${p.poolSize}` },
              { title: t('问题', 'Flagged'), render: (_, p) => p.items.filter((i) => i.problem).length },
            ]}
          />
        </Card>
      )}
      <Modal
        open={!!target}
        title={`${t('网上巡检', 'Online patrol')} · ${target?.name ?? ''}`}
        footer={null}
        onCancel={() => setTarget(undefined)}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          initialValues={{ sampleSize: 10 }}
          onFinish={(v: { sampleSize: number; seed?: string }) =>
            target &&
            patrol
              .mutateAsync({
                body: { targetDivision: target.code, sampleSize: v.sampleSize, seed: v.seed || undefined },
              })
              .then((p) => {
                setTarget(undefined);
                Modal.info({
                  content: t(
                    `已抽取 ${p.sampleSize} 条（共 ${p.poolSize} 条，种子 ${p.seed}）`,
                    `Drew ${p.sampleSize} of ${p.poolSize} (seed ${p.seed})`,
                  ),
                });
                navigate(`/evaluation/patrols/${p.id}`);
              })
              .catch(showError)
          }
        >
          <Form.Item name="sampleSize" label={t('样本数', 'Sample size')} rules={[{ required: true }]}>
            <InputNumber min={1} max={200} />
          </Form.Item>
          <Form.Item name="seed" label={t('随机种子（可留空）', 'Seed (optional)')}>
            <Input maxLength={64} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={patrol.isPending}>
            {t('抽取', 'Draw')}
          </Button>
        </Form>
      </Modal>
    </Space>
  );
}

/** 月度考核快照: the ranking as it stood at each month's end (kept by the daily job), opened one month at a time. */
function Snapshots({ divisionCode }: { divisionCode?: string }) {
  const { t } = useI18n();
  const s = useApiQuery('/api/v1/evaluation/snapshots', { params: { query: { divisionCode } } });
  return (
    <Card title={t('历史考核（月度快照）', 'History (monthly snapshots)')}>
      <ErrorText error={s.error} />
      <Table
        rowKey="month"
        size="small"
        loading={s.isFetching}
        dataSource={s.data}
        pagination={{ pageSize: 12, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (x) => (
            <Table<UnitRow>
              rowKey="code"
              size="small"
              pagination={false}
              dataSource={x.content.units}
              columns={[
                { title: t('排名', 'Rank'), dataIndex: 'rank' },
                { title: t('单位', 'Unit'), dataIndex: 'name' },
                { title: t('得分', 'Score'), dataIndex: 'score' },
              ]}
            />
          ),
        }}
        columns={[
          { title: t('月份', 'Month'), dataIndex: 'month' },
          { title: t('单位数', 'Units'), render: (_, x) => x.content.units.length },
          {
            title: t('第一名', 'First'),
            render: (_, x) => (x.content.units[0] ? `${x.content.units[0].name} ${x.content.units[0].score}` : '–'),
          },
          { title: t('生成时间', 'Taken'), render: (_, x) => x.createdAt.slice(0, 16).replace('T', ' ') },
        ]}
      />
    </Card>
  );
}

type Connection = NonNullable<UnitRow['connection']>;

/** The unit's platform connection (信息归集): connected, last success, lag, backlog, errors, parked, shared records. */
function ConnectionCell({ c }: { c: Connection | null | undefined }) {
  const { t, lang } = useI18n();
  if (!c) return <span style={{ color: '#999' }}>{t('未对接', 'not connected')}</span>;
  const when = c.lastSuccessAt ? new Date(c.lastSuccessAt).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') : '–';
  return (
    <div data-testid="evaluation-connection" style={{ minWidth: 160 }}>
      <Tag color={c.connected ? 'green' : 'orange'}>
        {c.connected ? t('已对接', 'Connected') : t('未启用', 'Not active')}
      </Tag>
      <div>
        {t('最近成功', 'Last success')}: {when}
      </div>
      <div>
        {t('延迟', 'Lag')} {Math.round(c.lagMs / 1000)} s · {t('积压', 'Backlog')} {c.backlog} · {t('错误', 'Errors')}{' '}
        {c.errors} · {t('搁置', 'Parked')} {c.parked}
      </div>
      <div>
        {t('期内共享', 'Shared in period')}: {c.sharedInPeriod}
      </div>
    </div>
  );
}
