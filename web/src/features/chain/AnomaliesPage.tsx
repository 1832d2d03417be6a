import { Card, Table, Tag } from 'antd';
import { get } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';

interface Row { id: string; kind: string; kindName: string; kindNameEn: string; subjectName: string | null; batchNo: string | null; details: Record<string, unknown>; status: string; detectedAt: string }

export default function AnomaliesPage() {
  const { t, lang } = useI18n();
  const list = useRequest(() => get<{ items: Row[] }>('/anomalies', { pageSize: 100 }), []);
  return (
    <Card title={t('链条异常预警', 'Chain anomalies')}>
      <ErrorText error={list.error} />
      <Table<Row> rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} columns={[
        { title: t('类型', 'Kind'), render: (_, a) => <Tag color="red">{lang === 'en' ? a.kindNameEn : a.kindName}</Tag> },
        { title: t('主体', 'Subject'), dataIndex: 'subjectName' },
        { title: t('批次', 'Batch'), dataIndex: 'batchNo' },
        { title: t('详情', 'Details'), render: (_, a) => JSON.stringify(a.details) },
        { title: t('发现时间', 'Detected'), dataIndex: 'detectedAt', render: (v: string) => new Date(v).toLocaleString('zh-CN') },
      ]} />
    </Card>
  );
}
