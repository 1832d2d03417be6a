import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Progress, Space, Table } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiData, download, upload } from '../api';
import { useI18n } from '../i18n';
import { useApiQuery } from '../useApiQuery';
import { useJob } from '../useJob';
import { ErrorText } from './ErrorText';

/**
 * The one import UI (the server's one import pipeline, kernel/imports.ts): template download → upload (multipart
 * `file`) → a progress bar following the job → the merge report (inserted / updated / unchanged / rejected), the
 * rejected rows with their reasons and the error workbook to fix and import again. Problems the server answers at
 * once (missing columns; for all-or-nothing imports, every invalid row) show before any job starts.
 */
export const IMPORTS = {
  subjects: {
    upload: '/api/v1/subjects/imports',
    template: '/api/v1/subjects/import-template.xlsx',
    report: '/api/v1/subjects/imports/{jobId}/report',
    errors: '/api/v1/subjects/imports/{jobId}/errors',
  },
  origin: {
    upload: '/api/v1/origin/imports',
    template: '/api/v1/origin/import-template.xlsx',
    report: '/api/v1/origin/imports/{jobId}/report',
    errors: '/api/v1/origin/imports/{jobId}/errors',
  },
  testResults: {
    upload: '/api/v1/test-results/imports',
    template: '/api/v1/test-results/import-template.xlsx',
    report: '/api/v1/test-results/imports/{jobId}/report',
    errors: '/api/v1/test-results/imports/{jobId}/errors',
  },
  certRegistry: {
    upload: '/api/v1/certification/registry/imports',
    template: '/api/v1/certification/registry/import-template.xlsx',
    report: '/api/v1/certification/registry/imports/{jobId}/report',
    errors: '/api/v1/certification/registry/imports/{jobId}/errors',
  },
} as const;
export type ImportKind = keyof typeof IMPORTS;
/** The merge report of any import (each import's report adds its own fields: narrow with `in`). */
export type ImportReport =
  | ApiData<'get', '/api/v1/subjects/imports/{jobId}/report'>
  | ApiData<'get', '/api/v1/origin/imports/{jobId}/report'>
  | ApiData<'get', '/api/v1/test-results/imports/{jobId}/report'>
  | ApiData<'get', '/api/v1/certification/registry/imports/{jobId}/report'>;

/** A row refused at once by an all-or-nothing import (details of IMPORT_ROWS_INVALID). */
interface RowProblem {
  row: number;
  field: string;
  messageZh: string;
  messageEn: string;
}
const rowProblems = (e: unknown): RowProblem[] =>
  e instanceof ApiError && e.problem.code === 'IMPORT_ROWS_INVALID' && Array.isArray(e.problem.details)
    ? (e.problem.details as RowProblem[])
    : [];

export function SpreadsheetImport(props: {
  kind: ImportKind;
  /** data-testid prefix: `{testId}-file`, `-upload`, `-progress`, `-outcome`, `-created`, `-error-count`, … */
  testId: string;
  accept?: string;
  templateName: string;
  /** What to fill in, shown above the buttons. */
  hint?: ReactNode;
  uploadLabel?: string;
  /** Extra parts of the report (e.g. the subjects' merge report, the test results' sheets). */
  extra?: (report: ImportReport) => ReactNode;
  onDone?: (report: ImportReport) => void;
}) {
  const { t, lang } = useI18n();
  const paths = IMPORTS[props.kind];
  const input = useRef<HTMLInputElement>(null);
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const { job, percent, done, failed } = useJob(jobId);
  const report: ImportReport | undefined = useApiQuery(
    paths.report,
    { params: { path: { jobId: jobId ?? '' } } },
    { enabled: !!jobId && done },
  ).data;
  // onDone once per finished import (the parent's callback may change on every render).
  const onDone = useRef(props.onDone);
  onDone.current = props.onDone;
  const reported = useRef<string>(undefined);
  useEffect(() => {
    if (!report || !jobId || reported.current === jobId) return;
    reported.current = jobId;
    onDone.current?.(report);
  }, [report, jobId]);

  async function send(file: File) {
    setError(undefined);
    setJobId(undefined);
    setBusy(true);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const started = await upload(paths.upload, form);
      setJobId(started.jobId);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  }

  const refused = rowProblems(error);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {props.hint}
      <Space wrap>
        <Button
          size="large"
          icon={<DownloadOutlined />}
          onClick={() => download(paths.template, undefined, props.templateName).catch(setError)}
          data-testid={`${props.testId}-template`}
        >
          {t('下载模板', 'Download template')}
        </Button>
        <input
          ref={input}
          type="file"
          accept={props.accept ?? '.xlsx'}
          style={{ display: 'none' }}
          data-testid={`${props.testId}-file`}
          onChange={(e) => e.target.files?.[0] && send(e.target.files[0])}
        />
        <Button
          type="primary"
          size="large"
          icon={<UploadOutlined />}
          loading={busy || (!!jobId && !job?.status) || job?.status === 'queued' || job?.status === 'running'}
          onClick={() => input.current?.click()}
          data-testid={`${props.testId}-upload`}
        >
          {props.uploadLabel ?? t('选择表格并导入', 'Choose a file and import')}
        </Button>
      </Space>
      <ErrorText error={error} />
      {refused.length > 0 && (
        <Table
          rowKey={(r) => `${r.row}-${r.field}`}
          size="small"
          pagination={false}
          dataSource={refused}
          data-testid={`${props.testId}-refused`}
          columns={[
            { title: t('行号', 'Row'), dataIndex: 'row', width: 70 },
            { title: t('列', 'Column'), dataIndex: 'field', width: 120 },
            { title: t('错误说明', 'What to fix'), render: (_, r) => (lang === 'en' ? r.messageEn : r.messageZh) },
          ]}
        />
      )}
      {job && (
        <Progress
          percent={percent}
          status={failed ? 'exception' : done ? 'success' : 'active'}
          data-testid={`${props.testId}-progress`}
          format={(p) => (job.total || done ? `${p}%` : t(`已处理 ${job.progress} 行`, `${job.progress} rows`))}
        />
      )}
      {failed && <Alert type="error" showIcon message={job?.error} />}
      {report && jobId && <Outcome report={report} jobId={jobId} {...props} />}
    </Space>
  );
}

function Outcome(props: {
  kind: ImportKind;
  testId: string;
  report: ImportReport;
  jobId: string;
  extra?: (report: ImportReport) => ReactNode;
}) {
  const { t, lang } = useI18n();
  const { report, testId } = props;
  const paths = IMPORTS[props.kind];
  return (
    <div data-testid={`${testId}-outcome`}>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 2, md: 5 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('总行数', 'Rows')}>{report.total}</Descriptions.Item>
        <Descriptions.Item label={t('新增', 'Inserted')}>
          <span data-testid={`${testId}-created`}>{report.inserted}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('更新', 'Updated')}>{report.updated}</Descriptions.Item>
        <Descriptions.Item label={t('无变化', 'Unchanged')}>
          <span data-testid={`${testId}-unchanged`}>{report.unchanged}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('错误行', 'Rejected')}>
          <span data-testid={`${testId}-error-count`}>{report.rejected}</span>
        </Descriptions.Item>
      </Descriptions>
      {props.extra?.(report)}
      {report.errors.length > 0 ? (
        <>
          <Alert
            type={report.status === 'failed' ? 'error' : 'warning'}
            showIcon
            style={{ marginBottom: 12 }}
            message={
              report.status === 'failed' && !report.rejected
                ? t('文件未能导入。', 'The file was not imported.')
                : t(
                    '以下行未导入。请下载错误表，按“错误说明”修改后直接重新导入；已导入的行不会重复。',
                    'These rows were not imported. Download the error workbook, fix the rows as explained, and import it again; imported rows will not be duplicated.',
                  )
            }
            action={
              report.errorFileId && (
                <Button
                  icon={<DownloadOutlined />}
                  onClick={() => download(paths.errors, { params: { path: { jobId: props.jobId } } }, 'errors.xlsx')}
                  data-testid={`${testId}-error-file`}
                >
                  {t('下载错误表', 'Error workbook')}
                </Button>
              )
            }
          />
          <Table
            rowKey="row"
            size="small"
            pagination={report.errors.length > 20 ? { pageSize: 20 } : false}
            scroll={{ x: 'max-content' }}
            dataSource={report.errors}
            data-testid={`${testId}-errors`}
            columns={[
              { title: t('行号', 'Row'), dataIndex: 'row', width: 70 },
              { title: t('错误说明', 'What to fix'), render: (_, e) => (lang === 'en' ? e.messageEn : e.message) },
            ]}
          />
        </>
      ) : (
        <Alert type="success" showIcon message={t('全部导入成功。', 'Every row was imported.')} />
      )}
    </div>
  );
}
