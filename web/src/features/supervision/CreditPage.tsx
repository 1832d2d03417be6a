import { Button, Card, Descriptions, Modal, Space, Statistic, Switch, Table, Tabs, Tag, Timeline } from 'antd';
import { type ReactNode, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { type AgencyArchive, type CreditArchive, GRADE_COLORS, label, type PartyTallied, type Tallied } from './api';

/** 诚信档案 Producers, service agencies and their collectors with bad records in my jurisdiction. */
export default function CreditPage() {
  const { t } = useI18n();
  const [repeatOnly, setRepeatOnly] = useState(false);
  const [rulesOpen, setRulesOpen] = useState(false);
  return (
    <Card
      title={t('诚信档案', 'Credit archive')}
      extra={
        <Space wrap>
          {t('只看屡查屡犯', 'Repeat offenders only')}
          <Switch checked={repeatOnly} onChange={setRepeatOnly} />
          <Button onClick={() => setRulesOpen(true)}>{t('评分规则', 'Scoring rules')}</Button>
        </Space>
      }
    >
      <Tabs
        items={[
          {
            key: 'subjects',
            label: t('生产经营主体', 'Producers'),
            children: <SubjectTallies repeatOnly={repeatOnly} />,
          },
          {
            key: 'agencies',
            label: t('服务机构与采集员', 'Service agencies and collectors'),
            children: <AgencyTallies repeatOnly={repeatOnly} />,
          },
        ]}
      />
      <Modal
        open={rulesOpen}
        title={t('信用评分规则', 'Credit scoring rules')}
        footer={null}
        width={720}
        onCancel={() => setRulesOpen(false)}
      >
        {rulesOpen && <CreditRules />}
      </Modal>
    </Card>
  );
}

function SubjectTallies({ repeatOnly }: { repeatOnly: boolean }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const list = usePagedTable('/api/v1/credit/subjects', { repeatOnly });
  return (
    <>
      <ErrorText error={list.error} />
      <Table<Tallied>
        rowKey="subjectId"
        {...list.tableProps}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ onClick: () => navigate(`/credit/${r.subjectId}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('主体', 'Producer'), dataIndex: 'name', render: (n) => <a>{n}</a> },
          {
            title: t('信用等级', 'Grade'),
            render: (_, r) => (
              <Tag color={GRADE_COLORS[r.grade]}>
                {r.grade} {label(lang, r.gradeZh, r.gradeEn)}
              </Tag>
            ),
          },
          { title: t('扣分', 'Points'), dataIndex: 'points' },
          { title: t('不良记录', 'Records'), dataIndex: 'records' },
          {
            title: '',
            render: (_, r) =>
              r.repeatOffender && <Tag color="red">{t('屡查屡犯（已公示）', 'Repeat offender (public)')}</Tag>,
          },
        ]}
      />
    </>
  );
}

/** Service agencies (第三方服务机构) and their collectors with bad collection records arising in my jurisdiction. */
function AgencyTallies({ repeatOnly }: { repeatOnly: boolean }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const list = usePagedTable('/api/v1/credit/agencies', { repeatOnly });
  return (
    <>
      <ErrorText error={list.error} />
      <Table<PartyTallied>
        rowKey={(r) => `${r.agencyOrgId}:${r.collectorId ?? ''}`}
        {...list.tableProps}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({
          onClick: () => navigate(`/credit/agencies/${r.agencyOrgId}`),
          style: { cursor: 'pointer' },
        })}
        columns={[
          { title: t('类别', 'Kind'), render: (_, r) => <Tag>{label(lang, r.partyZh, r.partyEn)}</Tag> },
          { title: t('服务机构', 'Agency'), dataIndex: 'agencyName', render: (n) => <a>{n}</a> },
          { title: t('采集员', 'Collector'), render: (_, r) => r.collectorName ?? '—' },
          {
            title: t('信用等级', 'Grade'),
            render: (_, r) => (
              <Tag color={GRADE_COLORS[r.grade]}>
                {r.grade} {label(lang, r.gradeZh, r.gradeEn)}
              </Tag>
            ),
          },
          { title: t('扣分', 'Points'), dataIndex: 'points' },
          { title: t('不良记录', 'Records'), dataIndex: 'records' },
          {
            title: '',
            render: (_, r) =>
              r.repeatOffender && (
                <Tag color="red">{t('屡教不改（责令改正后再犯）', 'Repeated after an order to correct')}</Tag>
              ),
          },
        ]}
      />
    </>
  );
}

/** The points each kind of bad record costs, the grades by points, and the repeat-offender policy. */
function CreditRules() {
  const { t, lang } = useI18n();
  const r = useApiQuery('/api/v1/credit/rules');
  const d = r.data;
  if (!d) return r.error ? <ErrorText error={r.error} /> : <Card loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        rowKey="code"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={d.rules}
        columns={[
          { title: t('来源', 'Source'), render: (_, x) => label(lang, x.sourceZh, x.sourceEn) },
          { title: t('情形', 'Case'), render: (_, x) => label(lang, x.nameZh, x.nameEn) },
          { title: t('严重程度', 'Severity'), render: (_, x) => label(lang, x.severityZh, x.severityEn) },
          { title: t('扣分', 'Points'), dataIndex: 'points' },
        ]}
      />
      <Space wrap>
        {d.grades.map((g, i) => (
          <Tag key={g.grade} color={GRADE_COLORS[g.grade]}>
            {g.grade} {label(lang, g.nameZh, g.nameEn)} {/* the last grade is open-ended: "more than the one before" */}
            {i === d.grades.length - 1 && i > 0 ? `> ${d.grades[i - 1].maxPoints}` : `≤ ${g.maxPoints}`}
            {t(' 分', ' pts')}
          </Tag>
        ))}
      </Space>
      <div>
        {t(
          `统计近 ${d.policy.windowMonths} 个月；不良记录达 ${d.policy.repeatThreshold} 次列为屡查屡犯并公示。`,
          `Counted over ${d.policy.windowMonths} months; ${d.policy.repeatThreshold} records make a repeat offender (published).`,
        )}
      </div>
    </Space>
  );
}

export function ArchiveView({ a }: { a: CreditArchive }) {
  const { t, lang } = useI18n();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={<span data-userdata>{a.subject.name}</span>} data-testid="credit-archive">
        <Space size="large" wrap>
          <Statistic
            title={t('信用等级', 'Grade')}
            value={`${a.rating.grade} ${lang === 'en' ? a.rating.nameEn : a.rating.nameZh}`}
            valueStyle={{ color: { A: '#389e0d', B: '#1677ff', C: '#d48806', D: '#cf1322' }[a.rating.grade] }}
          />
          <Statistic
            title={t(`近 ${a.policy.windowMonths} 个月扣分`, `Points in ${a.policy.windowMonths} months`)}
            value={a.points}
          />
          <Statistic title={t('不良记录', 'Bad records')} value={a.recordsInWindow} />
        </Space>
        {a.repeatOffender && (
          <div style={{ marginTop: 12 }}>
            <Tag color="red">
              {t(
                `不良记录达 ${a.policy.repeatThreshold} 次，已向社会公示（屡教不改）`,
                `≥ ${a.policy.repeatThreshold} records: published`,
              )}
            </Tag>
          </div>
        )}
        <Descriptions size="small" style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('主体身份码', 'Identity code')}>
            <code>{a.subject.identityCode}</code>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('不良记录', 'Bad records')}>
        <Timeline
          items={a.records.map((r) => ({
            color: r.withdrawn ? 'gray' : 'red',
            children: (
              <div data-testid={`credit-record-${r.source}`}>
                <Tag>{label(lang, r.sourceZh, r.sourceEn)}</Tag>
                {label(lang, r.titleZh, r.titleEn)}
                <div style={{ color: '#888' }}>
                  {new Date(r.occurredAt).toLocaleString('zh-CN')} · {t(`扣 ${r.points} 分`, `-${r.points}`)}
                </div>
              </div>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

export function SubjectCreditPage() {
  const { subjectId } = useParams();
  const a = useApiQuery(
    '/api/v1/credit/subjects/{subjectId}',
    { params: { path: { subjectId: subjectId ?? '' } } },
    { enabled: !!subjectId },
  );
  if (a.error) return <ErrorText error={a.error} />;
  return a.data ? <ArchiveView a={a.data} /> : <Card loading />;
}

/** A producer's own record. */
export function MyCreditPage() {
  const a = useApiQuery('/api/v1/credit/mine');
  if (a.error) return <ErrorText error={a.error} />;
  return a.data ? <ArchiveView a={a.data} /> : <Card loading />;
}

type PartyView = Pick<AgencyArchive, 'points' | 'recordsInWindow' | 'rating' | 'repeatOffender' | 'records'>;

/** The summary and records of one party (an agency or a collector). */
function PartyCard({ title, p, windowMonths }: { title: ReactNode; p: PartyView; windowMonths: number }) {
  const { t, lang } = useI18n();
  return (
    <Card title={title} size="small">
      <Space size="large" wrap>
        <Statistic
          title={t('信用等级', 'Grade')}
          value={`${p.rating.grade} ${label(lang, p.rating.nameZh, p.rating.nameEn)}`}
        />
        <Statistic title={t(`近 ${windowMonths} 个月扣分`, `Points in ${windowMonths} months`)} value={p.points} />
        <Statistic title={t('不良记录', 'Bad records')} value={p.recordsInWindow} />
      </Space>
      {p.repeatOffender && (
        <div style={{ marginTop: 8 }}>
          <Tag color="red">{t('屡教不改（责令改正后再犯）', 'Repeated after an order to correct')}</Tag>
        </div>
      )}
      <Timeline
        style={{ marginTop: 12 }}
        items={p.records.map((r) => ({
          color: r.withdrawn ? 'gray' : 'red',
          children: (
            <div>
              {label(lang, r.titleZh, r.titleEn)}
              {r.afterOrder && <Tag style={{ marginLeft: 8 }}>{t('责令改正后', 'After an order to correct')}</Tag>}
              <div style={{ color: '#888' }}>
                {new Date(r.occurredAt).toLocaleString('zh-CN')} · {t(`扣 ${r.points} 分`, `-${r.points}`)}
              </div>
            </div>
          ),
        }))}
      />
    </Card>
  );
}

/** 第三方服务机构诚信档案: the agency's own records and each of its collectors'. */
export function AgencyCreditPage() {
  const { orgId } = useParams();
  const a = useApiQuery(
    '/api/v1/credit/agencies/{orgId}',
    { params: { path: { orgId: orgId ?? '' } } },
    { enabled: !!orgId },
  );
  if (a.error) return <ErrorText error={a.error} />;
  return a.data ? <AgencyArchiveView d={a.data} /> : <Card loading />;
}

/** 本机构诚信档案: a service agency's own records and its collectors' (read-only; never another agency's). */
export function MyAgencyCreditPage() {
  const a = useApiQuery('/api/v1/credit/my-agency');
  if (a.error) return <ErrorText error={a.error} />;
  return a.data ? <AgencyArchiveView d={a.data} /> : <Card loading />;
}

function AgencyArchiveView({ d }: { d: AgencyArchive }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="agency-credit">
      <PartyCard
        title={
          <>
            {t('第三方服务机构：', 'Service agency: ')}
            <span data-userdata>{d.agency.name}</span>
          </>
        }
        p={d}
        windowMonths={d.policy.windowMonths}
      />
      {d.collectors.map((c) => (
        <PartyCard
          key={c.collectorId}
          title={
            <>
              {t('采集员：', 'Collector: ')}
              <span data-userdata>{c.name}</span>
            </>
          }
          p={c}
          windowMonths={d.policy.windowMonths}
        />
      ))}
    </Space>
  );
}
