import { Table, Tag } from 'antd';
import { useI18n } from '../../shared/i18n';
import { type Application, STATUS_COLORS, type Subject, useSubjectLabels } from './labels';

/** A subject's status as the server names it, in the UI language. */
export function StatusTag({ subject }: { subject: Pick<Subject, 'status' | 'statusZh' | 'statusEn'> }) {
  const { lang } = useI18n();
  return (
    <Tag color={STATUS_COLORS[subject.status]} data-testid="subject-status">
      {lang === 'en' ? subject.statusEn : subject.statusZh}
    </Tag>
  );
}

/** Names of the fields a change request may alter (form labels of this page). */
const CHANGE_LABELS: Record<string, [string, string]> = {
  name: ['名称', 'Name'],
  subjectType: ['主体类型', 'Type'],
  isSlaughterhouse: ['屠宰厂', 'Slaughterhouse'],
  industries: ['行业', 'Industries'],
  legalPersonName: ['法定代表人', 'Legal person'],
  legalPersonPhone: ['负责人电话', 'Legal person phone'],
  contactName: ['联系人', 'Contact'],
  contactPhone: ['联系电话', 'Phone'],
  contactEmail: ['邮箱', 'Email'],
  address: ['地址', 'Address'],
  divisionCode: ['区划', 'Division'],
  longitude: ['经度', 'Longitude'],
  latitude: ['纬度', 'Latitude'],
  certifications: ['认证', 'Certifications'],
};

/** The applications of a subject (registration, changes, cancellation, revocation) with their outcome. */
export function History({ apps }: { apps: Application[] }) {
  const { t, lang } = useI18n();
  const { label } = useSubjectLabels();
  return (
    <Table<Application>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={apps}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('类型', 'Kind'), dataIndex: 'kind', render: (k: string) => label('applicationKinds', k) },
        { title: t('提交时间', 'Submitted'), dataIndex: 'submittedAt', render: (d) => new Date(d).toLocaleString() },
        {
          title: t('审核期限', 'Due'),
          dataIndex: 'dueDate',
          render: (d, a) => (
            <span style={{ color: a.overdue ? '#cf1322' : undefined }}>
              {d}
              {a.overdue ? t('（已超期）', ' (overdue)') : ''}
            </span>
          ),
        },
        {
          title: t('结果', 'Result'),
          dataIndex: 'status',
          render: (s: string) => label('applicationStatuses', s),
        },
        {
          title: t('变更内容', 'Changes'),
          render: (_, a) => {
            if (a.kind !== 'change') return '—';
            const before = (a.data.before ?? {}) as Record<string, unknown>;
            return Object.entries(a.data)
              .filter(([k]) => k !== 'before' && k !== 'enteredByOrg')
              .map(([k, v]) => (
                <div key={k} data-testid="change-item">
                  {CHANGE_LABELS[k]?.[lang === 'en' ? 1 : 0] ?? k}：{String(before[k] ?? '—')} → <b>{String(v)}</b>
                </div>
              ));
          },
        },
        {
          title: t('原因/意见', 'Reasons'),
          render: (_, a) =>
            [
              a.reason,
              ...a.reasons.map((r) => r.reason),
              a.decisionNote,
              a.data.enteredByOrg ? `${t('代录', 'Entered by')}：${String(a.data.enteredByOrg)}` : null,
            ]
              .filter(Boolean)
              .join('；') || '—',
        },
        { title: t('审核人', 'Reviewer'), dataIndex: 'decidedByName', render: (n) => n ?? '—' },
      ]}
    />
  );
}
