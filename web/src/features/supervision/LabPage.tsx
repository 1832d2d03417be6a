import { App, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { download, get, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { type Assignment, STATUS_COLORS, type Sheet } from './api';

const STATUS_ZH: Record<string, [string, string]> = { sampled: ['待检测', 'awaiting tests'], passed: ['合格', 'passed'], failed: ['不合格', 'failed'] };

/** 检测机构: my assignments → sampling sheets → results per item (single entry or Excel import). */
export default function LabPage() {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const assignments = useRequest(() => get<Assignment[]>('/monitoring-assignments/mine'), []);
  const sheets = useRequest(() => get<Sheet[]>('/sampling-sheets'), []);
  const [sampling, setSampling] = useState<Assignment | null>(null);
  const [testing, setTesting] = useState<Sheet | null>(null);
  const [error, setError] = useState<unknown>();
  const [sf] = Form.useForm();
  const [rf] = Form.useForm();

  const submitSheet = async (v: Record<string, string>) => {
    if (!sampling) return;
    try {
      const body = {
        productName: v.productName, traceCode: v.traceCode || null, identityCode: v.identityCode || null,
        tempSubject: v.identityCode ? null : v.tempName ? { name: v.tempName } : null,
        place: v.place, divisionCode: sampling.divisionCode.length >= 9 ? sampling.divisionCode : (v.divisionCode || sampling.divisionCode), sampledAt: new Date().toISOString(), quantity: v.quantity || null,
      };
      const s = await post<Sheet>(`/monitoring-assignments/${sampling.id}/sheets`, body);
      message.success(t(`抽样单已提交，样品编号 ${s.sampleCode}`, `Sheet saved: sample ${s.sampleCode}`));
      setSampling(null);
      sf.resetFields();
      sheets.reload();
      assignments.reload();
    } catch (e) {
      sf.setFields(fieldErrors(e, lang));
      setError(e);
    }
  };
  const submitResults = async (v: Record<string, unknown>) => {
    if (!testing) return;
    try {
      const results = testing.taskItems.map((i) => {
        const raw = v[`v_${i.item}`];
        const num = typeof raw === 'number' ? raw : null;
        return { item: i.item, unit: i.unit, limit: i.limit, standard: i.standard, value: num, valueText: num === null ? '未检出' : null, ...(num === null ? { passed: true } : {}) };
      });
      const r = await post<Sheet & { riskCaseId: string | null }>(`/sampling-sheets/${testing.id}/results`, { results });
      setTesting(null);
      rf.resetFields();
      sheets.reload();
      if (r.riskCaseId) modal.warning({ title: t('检测不合格，已自动启动风险处置', 'Failed: the risk chain has started'), content: t('已通知主体所在县监管机构，并记入主体诚信档案。', 'The producer’s county is notified and the credit archive updated.') });
      else message.success(t('检测结果已录入：合格', 'Results saved: passed'));
    } catch (e) {
      setError(e);
    }
  };
  const importFile = async (file: File) => {
    try {
      const b64 = await new Promise<string>((res, rej) => { const r = new FileReader(); r.onload = () => res(String(r.result)); r.onerror = rej; r.readAsDataURL(file); });
      const r = await post<{ imported: number }>('/test-results/import', { name: file.name, contentBase64: b64 });
      message.success(t(`已导入 ${r.imported} 条检测结果`, `${r.imported} results imported`));
      sheets.reload();
    } catch (e) {
      const details = (e as { problem?: { details?: { row: number; field: string; messageZh: string; messageEn: string }[] } }).problem?.details;
      modal.error({ title: errorMessage(e, lang), content: details?.map((d) => <div key={`${d.row}${d.field}`}>{t(`第 ${d.row} 行 ${d.field}：${d.messageZh}`, `Row ${d.row} ${d.field}: ${d.messageEn}`)}</div>) });
    }
    return false;
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <ErrorText error={error ?? assignments.error ?? sheets.error} />
      <Card title={t('我的抽样任务', 'My sampling assignments')}>
        <Table<Assignment> rowKey="id" size="small" loading={assignments.loading} dataSource={assignments.data} pagination={false} scroll={{ x: true }} columns={[
          { title: t('任务', 'Task'), render: (_, a) => `${a.taskTitle}（${a.taskCode}）` },
          { title: t('地区', 'Area'), dataIndex: 'divisionCode' },
          { title: t('进度', 'Progress'), render: (_, a) => `${a.sampled} / ${a.quantity}` },
          { title: t('期限', 'Deadline'), dataIndex: 'deadline' },
          { title: '', render: (_, a) => <Button type="primary" data-testid={`sample-${a.taskCode}`} onClick={() => { setError(undefined); setSampling(a); sf.setFieldsValue({ productName: a.products[0] }); }}>{t('抽样', 'Sample')}</Button> },
        ]} />
      </Card>
      <Card title={t('抽样单与检测结果', 'Sampling sheets and results')} extra={
        <Space>
          <Button onClick={() => download('/test-results/template.xlsx', undefined, 'test-results.xlsx')}>{t('下载导入模板', 'Template')}</Button>
          <Upload accept=".xlsx" showUploadList={false} beforeUpload={importFile}><Button data-testid="results-import">{t('Excel 批量导入结果', 'Import from Excel')}</Button></Upload>
        </Space>
      }>
        <Table<Sheet> rowKey="id" size="small" loading={sheets.loading} dataSource={sheets.data} scroll={{ x: true }} columns={[
          { title: t('样品编号', 'Sample'), dataIndex: 'sampleCode' },
          { title: t('产品', 'Product'), dataIndex: 'productName' },
          { title: t('被抽样主体', 'Producer'), dataIndex: 'subjectName' },
          { title: t('追溯码/临时码', 'Code'), render: (_, s) => <code>{s.traceCode ?? s.tempCode}</code> },
          { title: t('状态', 'Status'), dataIndex: 'status', render: (st: string) => <Tag color={STATUS_COLORS[st]}>{t(...STATUS_ZH[st])}</Tag> },
          { title: t('结果', 'Results'), render: (_, s) => s.results.map((r) => <div key={r.item}>{r.item} {r.value ?? r.valueText} {r.unit} {r.passed ? '✓' : <Tag color="red">{t('超标', 'over limit')}</Tag>}</div>) },
          { title: '', render: (_, s) => s.status === 'sampled' && <Button data-testid={`results-${s.sampleCode}`} onClick={() => { setError(undefined); setTesting(s); }}>{t('录入结果', 'Enter results')}</Button> },
        ]} />
      </Card>
      <Modal open={!!sampling} title={t('填写抽样单', 'Sampling sheet')} onCancel={() => setSampling(null)} onOk={() => sf.submit()} okText={t('提交', 'Submit')} okButtonProps={{ size: 'large', 'data-testid': 'sheet-submit' } as never} destroyOnHidden>
        <Form form={sf} layout="vertical" size="large" onFinish={submitSheet}>
          <Form.Item name="productName" label={t('产品', 'Product')} rules={[{ required: true }]}><Select data-testid="sheet-product" options={sampling?.products.map((p) => ({ value: p, label: p }))} /></Form.Item>
          <Form.Item name="identityCode" label={t('主体身份码（扫码或输入）', 'Producer identity code')}><Input data-testid="sheet-identity" /></Form.Item>
          <Form.Item name="tempName" label={t('未注册主体名称（无身份码时填写）', 'Unregistered producer (no code)')}><Input /></Form.Item>
          <Form.Item name="traceCode" label={t('产品追溯码（没有可留空，自动生成临时码）', 'Trace code (empty → temporary code)')}><Input data-testid="sheet-trace" /></Form.Item>
          <Form.Item name="place" label={t('抽样地点', 'Place')} rules={[{ required: true }]}><Input data-testid="sheet-place" /></Form.Item>
          <Form.Item name="divisionCode" label={t('所在乡镇代码（9 位，可选）', 'Township code (optional)')}><Input data-testid="sheet-division" /></Form.Item>
          <Form.Item name="quantity" label={t('抽样数量', 'Quantity')}><Input placeholder="1 kg" /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!testing} title={t(`录入检测结果 ${testing?.sampleCode ?? ''}`, `Results ${testing?.sampleCode ?? ''}`)} onCancel={() => setTesting(null)} onOk={() => rf.submit()} okText={t('提交', 'Submit')} okButtonProps={{ size: 'large', 'data-testid': 'results-submit' } as never} destroyOnHidden>
        <Form form={rf} layout="vertical" size="large" onFinish={submitResults}>
          {testing?.taskItems.map((i) => (
            <Form.Item key={i.item} name={`v_${i.item}`} label={`${i.item}（${i.unit}，${t('限量', 'limit')} ${i.limit ?? '-'}，${i.standard}）`} extra={t('未检出请留空', 'Leave empty when not detected')}>
              <InputNumber data-testid={`value-${i.item}`} min={0} style={{ width: '100%' }} inputMode="decimal" />
            </Form.Item>
          ))}
          <Radio.Group disabled value="auto" options={[{ value: 'auto', label: t('按限量自动判定合格/不合格', 'Pass/fail judged against the limit') }]} />
        </Form>
      </Modal>
    </Space>
  );
}
