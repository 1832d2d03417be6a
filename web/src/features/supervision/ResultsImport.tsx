import { App, Button, List, Modal, Tag } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { SpreadsheetImport } from '../../shared/ui/SpreadsheetImport';

/**
 * Excel import of test results (the labs' results-upload section of LabPage): all rows valid or none imported —
 * invalid rows are listed at once; then the job enters the results and opens risk cases for failed items.
 */
export function ResultsImport(props: { onImported: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="results-import">
        {t('Excel 批量导入结果', 'Import from Excel')}
      </Button>
      <Modal
        open={open}
        title={t('Excel 批量导入检测结果', 'Import test results from Excel')}
        footer={null}
        width={720}
        destroyOnHidden
        onCancel={() => setOpen(false)}
      >
        <SpreadsheetImport
          kind="testResults"
          testId="results"
          templateName="检测结果导入模板.xlsx"
          hint={t(
            '每行一个检测项目；全部行正确才会导入，有错误时逐行列出原因。',
            'One test item per row; the file is imported only when every row is valid, otherwise each problem is listed.',
          )}
          onDone={(report) => {
            if (!('imported' in report) || report.status !== 'done') return;
            message.success(t(`已导入 ${report.imported} 条检测结果`, `${report.imported} results imported`));
            props.onImported();
          }}
          extra={(report) =>
            'sheets' in report && (
              <List
                size="small"
                style={{ marginBottom: 12 }}
                dataSource={report.sheets}
                renderItem={(s) => (
                  <List.Item>
                    {s.sampleCode}{' '}
                    <Tag color={s.status === 'failed' ? 'red' : 'green'}>
                      {s.status === 'failed' ? t('不合格', 'failed') : t('合格', 'passed')}
                    </Tag>
                    {s.riskCaseId && t('已启动风险处置', 'risk case opened')}
                  </List.Item>
                )}
              />
            )
          }
        />
      </Modal>
    </>
  );
}
