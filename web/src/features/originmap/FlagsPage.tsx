import { App, Button, Card, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { get, type Page, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { enumOptions, useProducts } from './common';
import { RecordDrawer } from './RecordDrawer';

interface Flag { id: string; recordId: string; kind: string; kindName: string; detail: string; divisionName: string; status: string; subjectName: string; createdAt: string; resolvedAt: string | null; resolution: string | null }
interface Notice { id: string; title: string; body: string; createdAt: string; toDivision: string | null }

/** Patrol flags of my jurisdiction (stale, incomplete, suspicious) tracked to resolution, and my notifications. */
export default function FlagsPage() {
  const { can } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const products = useProducts().data;
  const [filter, setFilter] = useState<{ status?: string; kind?: string }>({ status: 'open' });
  const [page, setPage] = useState(1);
  const [detail, setDetail] = useState<string>();
  const flags = useRequest(() => get<Page<Flag>>('/origin/flags', { ...filter, page, pageSize: 20 }), [JSON.stringify(filter), page]);
  const notices = useRequest(() => get<Page<Notice>>('/origin/notifications', { pageSize: 5 }), []);

  function resolve(f: Flag) {
    let text = '';
    Modal.confirm({
      title: t('处理结果', 'How was it resolved?'),
      content: <Input.TextArea rows={3} onChange={(e) => { text = e.target.value; }} />,
      onOk: async () => {
        try {
          await post(`/origin/flags/${f.id}/resolve`, { resolution: text });
          await flags.reload();
        } catch (e) {
          message.error(errorMessage(e, lang));
          throw e;
        }
      },
    });
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card title={t('系统提示', 'Notifications')} size="small">
        <ErrorText error={notices.error} />
        <List size="small" dataSource={notices.data?.items} locale={{ emptyText: t('暂无提示', 'Nothing new') }} data-testid="origin-notices"
          renderItem={(n) => <List.Item><Typography.Text strong>{n.title}</Typography.Text>&nbsp;{n.body} <Typography.Text type="secondary">{n.createdAt.slice(0, 16).replace('T', ' ')}</Typography.Text></List.Item>} />
      </Card>
      <Card title={t('巡查提示', 'Patrol flags')} extra={can('origin.review') && <Button onClick={async () => { await post('/origin/patrol'); message.info(t('已开始巡查，稍后刷新', 'Patrol started; refresh shortly')); }}>{t('立即巡查', 'Run patrol now')}</Button>}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select value={filter.status} allowClear style={{ width: 120 }} options={[{ value: 'open', label: t('待处理', 'Open') }, { value: 'resolved', label: t('已处理', 'Resolved') }]} onChange={(status) => { setPage(1); setFilter({ ...filter, status }); }} />
          <Select allowClear placeholder={t('类型', 'Kind')} style={{ width: 180 }} options={enumOptions(products?.enumerations.flagKinds, lang)} onChange={(kind) => { setPage(1); setFilter({ ...filter, kind }); }} />
        </Space>
        <ErrorText error={flags.error} />
        <Table<Flag> rowKey="id" loading={flags.loading} dataSource={flags.data?.items} scroll={{ x: 'max-content' }}
          pagination={{ current: page, total: flags.data?.total, pageSize: 20, onChange: setPage }}
          columns={[
            { title: t('类型', 'Kind'), dataIndex: 'kindName', render: (k) => <Tag color="orange">{k}</Tag> },
            { title: t('主体', 'Subject'), dataIndex: 'subjectName', render: (n, f) => <a onClick={() => setDetail(f.recordId)}>{n}</a> },
            { title: t('乡镇', 'Township'), dataIndex: 'divisionName' },
            { title: t('说明', 'Detail'), dataIndex: 'detail' },
            { title: t('发现时间', 'Found'), dataIndex: 'createdAt', render: (d: string) => d.slice(0, 10) },
            { title: t('处理', 'Resolution'), render: (_, f) => (f.status === 'open' ? can('origin.review') && <Button size="small" onClick={() => resolve(f)}>{t('处理', 'Resolve')}</Button> : f.resolution) },
          ]} />
      </Card>
      <RecordDrawer id={detail} onClose={() => setDetail(undefined)} />
    </Space>
  );
}
