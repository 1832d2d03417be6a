import { Card, DatePicker, Form, Input, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { get, type Page } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';

interface Entry { id: number; at: string; actorName: string | null; onBehalfOf: string | null; verb: string; targetType: string; targetId: string | null; divisionCode: string; ip: string | null; summary: Record<string, unknown> }

/** The audit log of my jurisdiction: who did what to which record, when and from where. */
export default function AuditPage() {
  const { me } = useAuth();
  const { t } = useI18n();
  const [filter, setFilter] = useState<Record<string, string | undefined>>({});
  const [page, setPage] = useState(1);
  const { data, error, loading } = useRequest(() => get<Page<Entry>>('/audit', { ...filter, page, pageSize: 20 }), [JSON.stringify(filter), page]);
  return (
    <Card title={t('审计日志', 'Audit log')}>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onValuesChange={(_, all) => { setPage(1); setFilter({ verb: all.verb || undefined, actor: all.actor || undefined, within: all.within, from: all.range?.[0]?.startOf('day').toISOString(), to: all.range?.[1]?.endOf('day').toISOString() }); }}>
        <Form.Item name="verb" label={t('操作', 'Action')}><Input placeholder="user. / org.create" allowClear style={{ width: 160 }} /></Form.Item>
        <Form.Item name="actor" label={t('操作人', 'Actor')}><Input allowClear style={{ width: 140 }} /></Form.Item>
        <Form.Item name="within" label={t('区划', 'Division')}><DivisionPicker root={me?.scope} style={{ width: 220 }} /></Form.Item>
        <Form.Item name="range" label={t('时间', 'Time')}><DatePicker.RangePicker /></Form.Item>
      </Form>
      <ErrorText error={error} />
      <Table<Entry>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.items}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage, showTotal: (n) => t(`共 ${n} 条`, `${n} entries`) }}
        expandable={{ expandedRowRender: (e) => <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(e.summary, null, 2)}</Typography.Text> }}
        columns={[
          { title: t('时间', 'Time'), dataIndex: 'at', render: (d) => new Date(d).toLocaleString() },
          { title: t('操作人', 'Actor'), dataIndex: 'actorName', render: (a, e) => <>{a ?? '—'}{e.onBehalfOf && <Tag style={{ marginLeft: 4 }}>{t('代', 'for')} {e.onBehalfOf}</Tag>}</> },
          { title: t('操作', 'Action'), dataIndex: 'verb', render: (v) => <Tag>{v}</Tag> },
          { title: t('对象', 'Target'), render: (_, e) => <>{e.targetType} <code style={{ color: '#999' }}>{e.targetId?.slice(0, 8)}</code></> },
          { title: t('区划', 'Division'), dataIndex: 'divisionCode', render: (c) => <code>{c || t('全国', 'national')}</code> },
          { title: t('地址', 'Address'), dataIndex: 'ip' },
        ]}
      />
    </Card>
  );
}
