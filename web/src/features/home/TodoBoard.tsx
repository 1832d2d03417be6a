import {
  AlertOutlined,
  BellOutlined,
  CloudUploadOutlined,
  FieldTimeOutlined,
  FileProtectOutlined,
  FlagOutlined,
  MessageOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { Badge, Card, List, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { useQueue } from '../../shared/offline/useQueue';
import { useApiQuery } from '../../shared/useApiQuery';

/**
 * 待办 The to-do board at the top of every home page (issue 16): what is waiting for me, with counts, each one tap
 * from its fix. Each row shows only for accounts holding its verb; the counts are the list routes' totals (the same
 * jurisdiction filters as the lists they open).
 */
interface Row {
  key: string;
  zh: string;
  en: string;
  icon: ReactNode;
  count: number | undefined;
  to: string;
  urgent?: boolean;
}

const one = { pageSize: 1 } as const;

export function TodoBoard() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { pending: queued, items } = useQueue();
  const total = (d: { total: number } | undefined) => d?.total;
  const opt = (verb: string) => ({ enabled: can(verb), staleTime: 30_000 });
  const reviews = useApiQuery(
    '/api/v1/subject-applications',
    { params: { query: { status: 'pending', ...one } } },
    opt('subject.review'),
  );
  const overdue = useApiQuery(
    '/api/v1/subject-applications',
    { params: { query: { status: 'pending', overdue: true, ...one } } },
    opt('subject.review'),
  );
  const complaints = useApiQuery(
    '/api/v1/complaints',
    { params: { query: { status: 'submitted', ...one } } },
    opt('complaint.handle'),
  );
  const risks = useApiQuery(
    '/api/v1/risk-cases',
    { params: { query: { status: 'open', ...one } } },
    opt('monitoring.read'),
  );
  const flags = useApiQuery(
    '/api/v1/origin/flags',
    { params: { query: { status: 'open', ...one } } },
    opt('origin.read'),
  );
  const unsigned = useApiQuery('/api/v1/agreements/unsigned', { params: { query: one } }, opt('agreement.read'));
  const unread = useApiQuery(
    '/api/v1/notifications',
    { params: { query: { unread: true, ...one } } },
    { staleTime: 30_000 },
  );

  const rows: Row[] = [
    {
      key: 'queue',
      zh: '本机待发送',
      en: 'Waiting on this device',
      icon: <CloudUploadOutlined />,
      count: queued,
      to: '/field/queue',
      urgent: items.some((i) => i.state === 'failed'),
    },
    ...(can('subject.review')
      ? [
          {
            key: 'overdue',
            zh: '超期未审（5 个工作日）',
            en: 'Reviews overdue (5 working days)',
            icon: <FieldTimeOutlined />,
            count: total(overdue.data),
            to: '/subject-reviews',
            urgent: true,
          },
          {
            key: 'reviews',
            zh: '待审核申请',
            en: 'Applications to review',
            icon: <SolutionOutlined />,
            count: total(reviews.data),
            to: '/subject-reviews',
          },
        ]
      : []),
    ...(can('complaint.handle')
      ? [
          {
            key: 'complaints',
            zh: '待处理投诉',
            en: 'New complaints',
            icon: <MessageOutlined />,
            count: total(complaints.data),
            to: '/complaints',
          },
        ]
      : []),
    ...(can('monitoring.read')
      ? [
          {
            key: 'risks',
            zh: '待处置风险',
            en: 'Open risk cases',
            icon: <AlertOutlined />,
            count: total(risks.data),
            to: '/risk-cases',
            urgent: true,
          },
        ]
      : []),
    ...(can('origin.read')
      ? [
          {
            key: 'flags',
            zh: '产地记录提示（过期、不全）',
            en: 'Stale or incomplete origin records',
            icon: <FlagOutlined />,
            count: total(flags.data),
            to: '/origin/flags',
          },
        ]
      : []),
    ...(can('agreement.read')
      ? [
          {
            key: 'unsigned',
            zh: '未签追溯协议',
            en: 'Agreements not signed',
            icon: <FileProtectOutlined />,
            count: total(unsigned.data),
            to: '/agreements',
          },
        ]
      : []),
    {
      key: 'unread',
      zh: '未读通知',
      en: 'Unread notices',
      icon: <BellOutlined />,
      count: total(unread.data),
      to: '/notifications',
    },
  ];
  const shown = rows.filter((r) => r.count === undefined || r.count > 0 || r.key === 'unread');

  return (
    <Card
      title={t('待办', 'To do')}
      data-testid="todo-board"
      style={{ marginBottom: 16 }}
      styles={{ body: { padding: 0 } }}
    >
      <List
        dataSource={shown}
        renderItem={(r) => (
          <List.Item
            data-testid={`todo-${r.key}`}
            onClick={() => navigate(r.to)}
            style={{ padding: '12px 16px', cursor: 'pointer', minHeight: 56 }}
          >
            <Typography.Text style={{ fontSize: 18 }}>
              <span style={{ color: '#2e7d32', marginRight: 8 }}>{r.icon}</span>
              {lang === 'en' ? r.en : r.zh}
            </Typography.Text>
            <Badge
              count={r.count ?? '…'}
              showZero
              overflowCount={999}
              color={r.urgent && r.count ? '#cf1322' : r.count ? '#fa8c16' : '#bfbfbf'}
              style={{ fontSize: 16, minWidth: 32, height: 28, lineHeight: '28px' }}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
