import { Card, Descriptions, Space, Statistic, Switch, Table, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { get } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { type CreditArchive, GRADE_COLORS } from './api';

interface Tallied { subjectId: string; name: string; divisionCode: string; points: number; records: number; grade: string; gradeZh: string; repeatOffender: boolean; lastAt: string }
const SOURCE: Record<string, [string, string]> = { patrol: ['巡查', 'Patrol'], test: ['抽检', 'Test'], penalty: ['行政处罚', 'Penalty'] };

/** 诚信档案 Producers with bad records in my jurisdiction. */
export default function CreditPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [repeatOnly, setRepeatOnly] = useState(false);
  const list = useRequest(() => get<Tallied[]>('/credit/subjects', { repeatOnly }), [repeatOnly]);
  return (
    <Card title={t('诚信档案', 'Credit archive')} extra={<Space>{t('只看屡查屡犯', 'Repeat offenders only')}<Switch checked={repeatOnly} onChange={setRepeatOnly} /></Space>}>
      <ErrorText error={list.error} />
      <Table<Tallied> rowKey="subjectId" loading={list.loading} dataSource={list.data} scroll={{ x: true }}
        onRow={(r) => ({ onClick: () => navigate(`/credit/${r.subjectId}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('主体', 'Producer'), dataIndex: 'name', render: (n) => <a>{n}</a> },
          { title: t('信用等级', 'Grade'), render: (_, r) => <Tag color={GRADE_COLORS[r.grade]}>{r.grade} {r.gradeZh}</Tag> },
          { title: t('扣分', 'Points'), dataIndex: 'points' },
          { title: t('不良记录', 'Records'), dataIndex: 'records' },
          { title: '', render: (_, r) => r.repeatOffender && <Tag color="red">{t('屡查屡犯（已公示）', 'Repeat offender (public)')}</Tag> },
        ]} />
    </Card>
  );
}

export function ArchiveView({ a }: { a: CreditArchive }) {
  const { t, lang } = useI18n();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={a.subject.name} data-testid="credit-archive">
        <Space size="large" wrap>
          <Statistic title={t('信用等级', 'Grade')} value={`${a.rating.grade} ${lang === 'en' ? a.rating.nameEn : a.rating.nameZh}`} valueStyle={{ color: { A: '#389e0d', B: '#1677ff', C: '#d48806', D: '#cf1322' }[a.rating.grade] }} />
          <Statistic title={t(`近 ${a.policy.windowMonths} 个月扣分`, `Points in ${a.policy.windowMonths} months`)} value={a.points} />
          <Statistic title={t('不良记录', 'Bad records')} value={a.recordsInWindow} />
        </Space>
        {a.repeatOffender && <div style={{ marginTop: 12 }}><Tag color="red">{t(`不良记录达 ${a.policy.repeatThreshold} 次，已向社会公示（屡教不改）`, `≥ ${a.policy.repeatThreshold} records: published`)}</Tag></div>}
        <Descriptions size="small" style={{ marginTop: 12 }}><Descriptions.Item label={t('主体身份码', 'Identity code')}><code>{a.subject.identityCode}</code></Descriptions.Item></Descriptions>
      </Card>
      <Card title={t('不良记录', 'Bad records')}>
        <Timeline items={a.records.map((r) => ({
          color: r.withdrawn ? 'gray' : 'red',
          children: (
            <div data-testid={`credit-record-${r.source}`}>
              <Tag>{t(...SOURCE[r.source])}</Tag>{lang === 'en' ? r.titleEn : r.titleZh}
              <div style={{ color: '#888' }}>{new Date(r.occurredAt).toLocaleString('zh-CN')} · {t(`扣 ${r.points} 分`, `-${r.points}`)}</div>
            </div>
          ),
        }))} />
      </Card>
    </Space>
  );
}

export function SubjectCreditPage() {
  const { subjectId } = useParams();
  const a = useRequest(() => get<CreditArchive>(`/credit/subjects/${subjectId}`), [subjectId]);
  if (a.error) return <ErrorText error={a.error} />;
  return a.data ? <ArchiveView a={a.data} /> : <Card loading />;
}

/** A producer's own record. */
export function MyCreditPage() {
  const a = useRequest(() => get<CreditArchive>('/credit/mine'), []);
  if (a.error) return <ErrorText error={a.error} />;
  return a.data ? <ArchiveView a={a.data} /> : <Card loading />;
}
