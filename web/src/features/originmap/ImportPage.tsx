import { Card, Typography } from 'antd';
import { useI18n } from '../../shared/i18n';
import { SpreadsheetImport } from '../../shared/ui/SpreadsheetImport';

/** 表格批量采集: download the template, fill it, upload; watch progress; fix the error rows and upload again. */
export default function ImportPage() {
  const { t } = useI18n();
  return (
    <Card title={t('表格批量采集', 'Import from a spreadsheet')}>
      <SpreadsheetImport
        kind="origin"
        testId="origin"
        templateName="重点农产品产地溯源信息采集表.xlsx"
        hint={
          <Typography.Text type="secondary">
            {t(
              '下载采集表模板，带 * 的列必填，下拉选项请直接选择，经纬度须在所填乡镇所属区县内；填好后上传。导入的记录提交县级审核；有错误的行可下载错误表，改正后再次导入。',
              'Download the template; columns with * are required, pick from the dropdowns, coordinates must lie in the stated county; then upload it. Imported records go to county review; fix the rows of the error workbook and import it again.',
            )}
          </Typography.Text>
        }
      />
    </Card>
  );
}
