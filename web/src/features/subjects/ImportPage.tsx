import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Result, Space, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, download, get, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';

interface Job { id: string; status: string; progress: number; total: number | null; error: string | null; result: { total: number; created: number; merged: number; failed: number; errorFileId: string | null; mergeReportFileId: string | null } | null }

/** 历史数据导入 Upload an Excel/CSV of historic registrations; a progress bar follows the background job. */
export default function ImportPage() {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  const [jobId, setJobId] = useState<string>();
  const [job, setJob] = useState<Job>();
  useEffect(() => {
    if (!jobId) return;
    const timer = setInterval(async () => {
      const j = await get<Job>(`/jobs/${jobId}`);
      setJob(j);
      if (j.status === 'done' || j.status === 'failed') clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [jobId]);
  const percent = job?.status === 'done' ? 100 : job?.total ? Math.min(99, Math.round((job.progress / job.total) * 100)) : job ? 50 : 0;
  return (
    <Card title={t('历史注册数据导入', 'Import historic registrations')}>
      <Alert showIcon type="info" style={{ marginBottom: 16 }} message={t('先下载模板，按模板填写（带下拉选项）。与已有主体重复的行会合并而不会重复创建；有错误的行会生成“错误行”表格，改正后可再次导入。', 'Download the template and fill it in. Duplicates are merged, not created twice; failed rows come back in a workbook to fix and re-import.')} />
      <Space wrap>
        <Button size="large" onClick={() => download('/subjects/import-template.xlsx', undefined, 'template.xlsx')}>{t('下载模板', 'Download template')}</Button>
        <Upload accept=".xlsx,.csv" showUploadList={false} customRequest={async ({ file }) => {
          setError(undefined);
          setJob(undefined);
          try {
            const fd = new FormData();
            fd.append('file', file as File, (file as File).name);
            const res = await fetch('/api/v1/files?purpose=spreadsheet', { method: 'POST', body: fd, credentials: 'same-origin' });
            const saved = await res.json();
            if (!res.ok) throw new ApiError(saved);
            const started = await post<{ jobId: string }>('/subjects/imports', { fileId: saved.id });
            setJobId(started.jobId);
          } catch (e) {
            setError(e);
          }
        }}>
          <Button type="primary" size="large" icon={<UploadOutlined />} data-testid="import-upload">{t('上传并导入', 'Upload and import')}</Button>
        </Upload>
      </Space>
      <div style={{ marginTop: 16 }}><ErrorText error={error} /></div>
      {job && <Progress percent={percent} status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'} data-testid="import-progress" format={(p) => (job.total || job.status === 'done' ? `${p}%` : t(`已处理 ${job.progress} 行`, `${job.progress} rows`))} />}
      {job?.status === 'failed' && <Alert type="error" showIcon message={job.error} />}
      {job?.result && (
        <Result status={job.result.failed ? 'warning' : 'success'} title={t(`共 ${job.result.total} 行：新增 ${job.result.created}，合并 ${job.result.merged}，失败 ${job.result.failed}`, `${job.result.total} rows: ${job.result.created} created, ${job.result.merged} merged, ${job.result.failed} failed`)}
          extra={<Space>
            {job.result.errorFileId && <Button danger onClick={() => download(`/files/${job.result?.errorFileId}`, undefined, 'errors.xlsx')}>{t('下载错误行', 'Failed rows')}</Button>}
            {job.result.mergeReportFileId && <Button onClick={() => download(`/files/${job.result?.mergeReportFileId}`, undefined, 'merge.xlsx')}>{t('下载合并报告', 'Merge report')}</Button>}
          </Space>} />
      )}
    </Card>
  );
}
