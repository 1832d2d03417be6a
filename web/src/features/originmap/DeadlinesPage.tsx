import { Card, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import type { ApiData } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';

type Row = ApiData<'get', '/api/v1/origin/deadlines'>['rows'][number];
const NUMBERS: (keyof Row)[] = [
  'submitted',
  'reviewsOverdue',
  'returned',
  'correctionsOverdue',
  'correctedLate',
  'sitePending',
  'recollectOverdue',
];

/** 审核与整改时限统计 (seed 004 六(三)、五(四)): per township, what waits for review or correction and what is late. */
export default function DeadlinesPage() {
  const { me } = useAuth();
  const { t } = useI18n();
  const [within, setWithin] = useState<string>();
  const { data, error, isFetching } = useApiQuery('/api/v1/origin/deadlines', {
    params: { query: within ? { within } : {} },
  });
  const title: Record<string, string> = {
    submitted: t('待审核', 'To review'),
    reviewsOverdue: t('审核逾期', 'Review overdue'),
    returned: t('待整改', 'To correct'),
    correctionsOverdue: t('整改逾期', 'Correction overdue'),
    correctedLate: t('逾期整改', 'Corrected late'),
    sitePending: t('待补点位', 'Point pending'),
    recollectOverdue: t('逾期未重新采集', 'Re-collection overdue'),
  };
  const late = new Set(['reviewsOverdue', 'correctionsOverdue', 'correctedLate', 'recollectOverdue']);
  const total = (k: keyof Row) => (data?.rows ?? []).reduce((n, r) => n + Number(r[k]), 0);
  return (
    <Card title={t('审核与整改时限统计', 'Review and correction deadlines')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <DivisionPicker
          root={me?.scope}
          style={{ width: 240 }}
          maxLevel={3}
          placeholder={t('地区（默认本辖区）', 'Division (default: mine)')}
          onChange={setWithin}
        />
        {data && (
          <Typography.Text type="secondary">
            {t(
              `截至 ${data.today}：提交后 ${data.reviewDays} 个工作日内审核，退回后 ${data.correctionDays} 个工作日内整改`,
              `As of ${data.today}: review within ${data.reviewDays} working days, correct within ${data.correctionDays}`,
            )}
          </Typography.Text>
        )}
      </Space>
      <ErrorText error={error} />
      <Table<Row>
        rowKey="divisionCode"
        size="small"
        loading={isFetching}
        dataSource={data?.rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="origin-deadlines"
        columns={[
          { title: t('乡镇（街道）', 'Township'), dataIndex: 'divisionName', fixed: 'left' },
          ...NUMBERS.map((k) => ({
            title: title[k],
            dataIndex: k,
            align: 'right' as const,
            render: (n: number) => (late.has(k) && n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
          })),
        ]}
        summary={() =>
          data?.rows.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('合计', 'Total')}</Table.Summary.Cell>
              {NUMBERS.map((k, i) => (
                <Table.Summary.Cell key={k} index={i + 1} align="right">
                  {total(k)}
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
