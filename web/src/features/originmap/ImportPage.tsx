import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Progress, Space, Steps, Table, Typography } from 'antd';
import { useRef, useState } from 'react';
import { ApiError, download, get } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';

interface Job { id: string; status: string; progress: number; total: number | null; error: string | null }
interface ImportOutcome { id: string; status: string; total: number | null; created: number | null; updated: number | null; unchanged: number | null; errorRows: number | null; errors: { row: number; message: string }[]; hasErrorFile: boolean }

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 表格批量采集: download the template, fill it, upload; watch progress; fix the error rows and upload again. */
export default function ImportPage() {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [job, setJob] = useState<Job>();
  const [outcome, setOutcome] = useState<ImportOutcome>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function upload(file: File) {
    setError(undefined);
    setOutcome(undefined);
    setBusy(true);
    try {
      const res = await fetch(`/api/v1/origin/imports?fileName=${encodeURIComponent(file.name)}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': XLSX }, body: file });
      const body = await res.json();
      if (!res.ok) throw new ApiError(body);
      const { importId, jobId } = body as { importId: string; jobId: string };
      for (;;) {
        const j = await get<Job>(`/jobs/${jobId}`);
        setJob(j);
        if (j.status === 'done' || j.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      setOutcome(await get<ImportOutcome>(`/origin/imports/${importId}`));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  }

  const percent = job?.total ? Math.round((job.progress / job.total) * 100) : job?.status === 'done' ? 100 : 0;
  return (
    <Card title={t('表格批量采集', 'Import from a spreadsheet')}>
      <Steps
        direction="vertical"
        size="small"
        current={outcome ? 2 : 1}
        items={[
          {
            title: t('下载采集表模板', 'Download the template'),
            description: (
              <Space direction="vertical">
                <Typography.Text type="secondary">{t('带 * 的列必填；下拉选项请直接选择；经纬度须在所填乡镇所属区县内。', 'Columns with * are required; pick from the dropdowns; coordinates must lie in the stated county.')}</Typography.Text>
                <Button size="large" icon={<DownloadOutlined />} onClick={() => download('/origin/template', undefined, 'template.xlsx')} data-testid="origin-template">{t('下载模板', 'Download template')}</Button>
              </Space>
            ),
          },
          {
            title: t('上传填好的表格', 'Upload the filled sheet'),
            description: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <input ref={input} type="file" accept=".xlsx" style={{ display: 'none' }} data-testid="origin-file" onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
                <Button type="primary" size="large" icon={<UploadOutlined />} loading={busy} onClick={() => input.current?.click()} data-testid="origin-upload">{t('选择表格并导入', 'Choose a file and import')}</Button>
                {job && <Progress percent={percent} status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'} data-testid="origin-progress" />}
              </Space>
            ),
          },
          { title: t('查看结果，修改错误行后重新导入', 'Check the outcome; fix error rows and import again') },
        ]}
      />
      <ErrorText error={error} />
      {outcome && (
        <div data-testid="origin-outcome">
          <Descriptions bordered size="small" column={{ xs: 1, sm: 2, md: 5 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('总行数', 'Rows')}>{outcome.total ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t('新增', 'Created')}><span data-testid="origin-created">{outcome.created ?? 0}</span></Descriptions.Item>
            <Descriptions.Item label={t('更新', 'Updated')}>{outcome.updated ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t('无变化', 'Unchanged')}>{outcome.unchanged ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t('错误行', 'Error rows')}><span data-testid="origin-error-count">{outcome.errorRows ?? 0}</span></Descriptions.Item>
          </Descriptions>
          {outcome.errorRows ? (
            <>
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                message={t('以下行未导入。请下载错误表，按“错误说明”修改后直接重新导入；已导入的行不会重复。', 'These rows were not imported. Download the error workbook, fix the rows as explained, and import it again; imported rows will not be duplicated.')}
                action={outcome.hasErrorFile && <Button icon={<DownloadOutlined />} onClick={() => download(`/origin/imports/${outcome.id}/errors`, undefined, 'errors.xlsx')} data-testid="origin-error-file">{t('下载错误表', 'Error workbook')}</Button>}
              />
              <Table rowKey="row" size="small" pagination={false} scroll={{ x: 'max-content' }} dataSource={outcome.errors} data-testid="origin-errors"
                columns={[{ title: t('行号', 'Row'), dataIndex: 'row', width: 70 }, { title: t('错误说明', 'What to fix'), dataIndex: 'message' }]} />
            </>
          ) : (
            outcome.status === 'done' && <Alert type="success" showIcon message={t('全部导入成功，已提交县级审核。', 'All rows imported and submitted for county review.')} />
          )}
        </div>
      )}
    </Card>
  );
}
