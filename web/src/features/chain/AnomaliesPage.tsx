import { App, Button, Card, Table, Tag } from 'antd';
import type { ApiItem } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';

type Anomaly = ApiItem<'/api/v1/anomalies'>;

export default function AnomaliesPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useShowError();
  const { tableProps, error } = usePagedTable('/api/v1/anomalies', {}, { pageSize: 100 });
  const scan = useApiMutation('post', '/api/v1/anomalies/scan', { invalidate: ['/api/v1/anomalies'] });
  return (
    <Card
      title={t('链条异常预警', 'Chain anomalies')}
      extra={
        can('anomaly.scan') && (
          <Button
            loading={scan.isPending}
            onClick={() =>
              scan
                .mutateAsync()
                .then((r) =>
                  message.success(
                    t(
                      `扫描完成：发现 ${r.found} 项，新标记 ${r.flagged} 项`,
                      `Scanned: ${r.found} found, ${r.flagged} flagged`,
                    ),
                  ),
                )
                .catch(showError)
            }
          >
            {t('立即扫描', 'Scan now')}
          </Button>
        )
      }
    >
      <ErrorText error={error} />
      <Table<Anomaly>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('类型', 'Kind'),
            render: (_, a) => <Tag color="red">{lang === 'en' ? a.kindNameEn : a.kindName}</Tag>,
          },
          { title: t('主体', 'Subject'), dataIndex: 'subjectName' },
          { title: t('批次', 'Batch'), dataIndex: 'batchNo' },
          { title: t('详情', 'Details'), render: (_, a) => JSON.stringify(a.details) },
          {
            title: t('状态', 'Status'),
            render: (_, a) => (lang === 'en' ? a.statusNameEn : a.statusName),
          },
          {
            title: t('发现时间', 'Detected'),
            dataIndex: 'detectedAt',
            render: (v: string) => new Date(v).toLocaleString('zh-CN'),
          },
        ]}
      />
    </Card>
  );
}
