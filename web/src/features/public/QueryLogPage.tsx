import { Card, Form, Input, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ApiData, ApiItem } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { usePagedTable } from '../../shared/usePagedTable';

type Count = ApiItem<'/api/v1/scan-counts'>;
type Row = ApiItem<'/api/v1/query-logs'>;

/** Producers: how often each of their codes was scanned (a copied label shows up as an outlier). */
function ScanCounts() {
  const { t } = useI18n();
  const { data, error, tableProps } = usePagedTable('/api/v1/scan-counts', {});
  // usePagedTable types the page as `{ items, total }`; this route also counts every scan.
  const totalScans = (data as ApiData<'get', '/api/v1/scan-counts'> | undefined)?.totalScans ?? 0;
  return (
    <Card
      title={t(`本主体追溯码被查询次数（共 ${totalScans} 次）`, `Scans of my codes (${totalScans} in all)`)}
      style={{ marginBottom: 16 }}
    >
      <ErrorText error={error} />
      <Table<Count>
        rowKey="code"
        {...tableProps}
        scroll={{ x: true }}
        data-testid="scan-counts"
        columns={[
          {
            title: t('追溯码', 'Code'),
            dataIndex: 'code',
            render: (c) => (
              <a href={`/t/${c}`} target="_blank" rel="noreferrer">
                <code>{c}</code>
              </a>
            ),
          },
          { title: t('查询次数', 'Scans'), dataIndex: 'scans' },
          { title: t('首次', 'First'), dataIndex: 'firstAt', render: (d) => new Date(d).toLocaleString() },
          { title: t('最近', 'Last'), dataIndex: 'lastAt', render: (d) => new Date(d).toLocaleString() },
        ]}
      />
    </Card>
  );
}

/** Query log (查询记录) of codes in my jurisdiction (regulators) or of my own codes (producers). */
export default function QueryLogPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [code, setCode] = useState<string | undefined>();
  const { error, tableProps } = usePagedTable('/api/v1/query-logs', { code }, { pageSize: 50 });
  return (
    <>
      {me?.orgKind === 'producer' && <ScanCounts />}
      <Card title={t('查询记录', 'Query log')}>
        <Form
          layout="inline"
          style={{ marginBottom: 12 }}
          onValuesChange={(_, all) => setCode(all.code?.replace(/\s/g, '') || undefined)}
        >
          <Form.Item name="code" label={t('追溯码', 'Code')}>
            <Input allowClear size="large" style={{ width: 260 }} />
          </Form.Item>
        </Form>
        <ErrorText error={error} />
        <Table<Row>
          rowKey="id"
          {...tableProps}
          scroll={{ x: true }}
          columns={[
            { title: t('时间', 'Time'), dataIndex: 'at', render: (d) => new Date(d).toLocaleString() },
            { title: t('追溯码', 'Code'), dataIndex: 'code', render: (c) => <code>{c}</code> },
            {
              title: t('结果', 'Result'),
              dataIndex: 'result',
              render: (r) => <Tag color={r === 'active' ? 'green' : r === 'recalled' ? 'red' : 'default'}>{r}</Tag>,
            },
            {
              title: t('查询者', 'Who'),
              dataIndex: 'viewer',
              render: (v, r) => (r.anonymous ? t('匿名消费者', 'anonymous') : v),
            },
            { title: t('地址', 'Address'), render: (_, r) => r.clientIp ?? r.clientNet },
            { title: t('终端', 'User agent'), dataIndex: 'userAgent', ellipsis: true },
          ]}
        />
      </Card>
    </>
  );
}
