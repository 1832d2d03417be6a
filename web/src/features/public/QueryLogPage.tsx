import { Card, Form, Input, Table, Tag } from 'antd';
import { useState } from 'react';
import { get, type Page } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';

interface Row { id: number; at: string; code: string; result: string; channel: string; viewer: string; anonymous: boolean; clientIp: string | null; clientNet: string | null; userAgent: string | null }

/** Query log (查询记录) of codes in my jurisdiction (regulators) or of my own codes (producers). */
export default function QueryLogPage() {
  const { t } = useI18n();
  const [code, setCode] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const { data, error, loading } = useRequest(() => get<Page<Row>>('/query-logs', { code, page, pageSize: 50 }), [code, page]);
  return (
    <Card title={t('查询记录', 'Query log')}>
      <Form layout="inline" style={{ marginBottom: 12 }} onValuesChange={(_, all) => { setPage(1); setCode(all.code?.replace(/\s/g, '') || undefined); }}>
        <Form.Item name="code" label={t('追溯码', 'Code')}><Input allowClear size="large" style={{ width: 260 }} /></Form.Item>
      </Form>
      <ErrorText error={error} />
      <Table<Row>
        rowKey="id" loading={loading} dataSource={data?.items} scroll={{ x: true }}
        pagination={{ current: page, total: data?.total, pageSize: 50, onChange: setPage }}
        columns={[
          { title: t('时间', 'Time'), dataIndex: 'at', render: (d) => new Date(d).toLocaleString() },
          { title: t('追溯码', 'Code'), dataIndex: 'code', render: (c) => <code>{c}</code> },
          { title: t('结果', 'Result'), dataIndex: 'result', render: (r) => <Tag color={r === 'active' ? 'green' : r === 'recalled' ? 'red' : 'default'}>{r}</Tag> },
          { title: t('查询者', 'Who'), dataIndex: 'viewer', render: (v, r) => (r.anonymous ? t('匿名消费者', 'anonymous') : v) },
          { title: t('地址', 'Address'), render: (_, r) => r.clientIp ?? r.clientNet },
          { title: t('终端', 'User agent'), dataIndex: 'userAgent', ellipsis: true },
        ]}
      />
    </Card>
  );
}
