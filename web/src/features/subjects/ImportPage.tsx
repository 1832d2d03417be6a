import { Alert, Button, Card } from 'antd';
import { download } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { SpreadsheetImport } from '../../shared/ui/SpreadsheetImport';

/** 历史数据导入 Upload an Excel/CSV of historic registrations; a progress bar follows the background job. */
export default function ImportPage() {
  const { t } = useI18n();
  return (
    <Card title={t('历史注册数据导入', 'Import historic registrations')}>
      <SpreadsheetImport
        kind="subjects"
        testId="import"
        accept=".xlsx,.csv"
        templateName="生产经营主体导入模板.xlsx"
        uploadLabel={t('上传并导入', 'Upload and import')}
        hint={
          <Alert
            showIcon
            type="info"
            message={t(
              '先下载模板，按模板填写（带下拉选项）。与已有主体重复的行会合并而不会重复创建；有错误的行会生成“错误行”表格，改正后可再次导入。',
              'Download the template and fill it in. Duplicates are merged, not created twice; failed rows come back in a workbook to fix and re-import.',
            )}
          />
        }
        extra={(report) =>
          'mergeReportFileId' in report &&
          report.mergeReportFileId && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={t(
                `${report.merged} 行与平台已有主体重复，已合并（平台已有信息为准，只补充空缺字段）。`,
                `${report.merged} rows duplicated existing producers and were merged (existing values kept, empty fields filled).`,
              )}
              action={
                <Button
                  onClick={() =>
                    download(
                      '/api/v1/files/{id}',
                      { params: { path: { id: report.mergeReportFileId ?? '' } } },
                      '合并报告.xlsx',
                    )
                  }
                  data-testid="import-merge-report"
                >
                  {t('下载合并报告', 'Merge report')}
                </Button>
              }
            />
          )
        }
      />
    </Card>
  );
}
