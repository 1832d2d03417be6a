import { Card, Progress, Table, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { get } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';

interface Row { id: string; number: string; status: string; statusName: string; level: number; reason: string; openedAt: string; batchNo: string; productName: string; holders: number; acknowledged: number }

export default function RecallsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const list = useRequest(() => get<{ items: Row[] }>('/recalls', { pageSize: 50 }), []);
  return (
    <Card title={t('召回', 'Recalls')}>
      <ErrorText error={list.error} />
      <Table<Row> rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} onRow={(r) => ({ onClick: () => navigate(`/chain/recalls/${r.id}`), style: { cursor: 'pointer' } })} columns={[
        { title: t('编号', 'Number'), dataIndex: 'number' },
        { title: t('产品 / 批次', 'Product / batch'), render: (_, r) => `${r.productName} ${r.batchNo}` },
        { title: t('原因', 'Reason'), dataIndex: 'reason' },
        { title: t('状态', 'Status'), render: (_, r) => <Tag color={r.status === 'open' ? 'red' : 'default'}>{r.statusName}</Tag> },
        { title: t('确认进度', 'Acknowledged'), render: (_, r) => <Progress style={{ width: 140 }} percent={r.holders ? Math.round((r.acknowledged / r.holders) * 100) : 100} format={() => `${r.acknowledged}/${r.holders}`} /> },
        { title: t('发起时间', 'Opened'), dataIndex: 'openedAt', render: (v: string) => new Date(v).toLocaleString('zh-CN') },
      ]} />
    </Card>
  );
}
