import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Form, Input, InputNumber, Modal, Radio, Result, Row, Select, Space, Switch, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { download, get, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { BIZ_STEPS, type Batch, type Certificate, type TraceEvent, postDownload } from './api';
import { STATUS_COLORS } from './BatchesPage';

const BASIS = [['control', '质量安全控制符合要求', 'Quality-safety control meets requirements'], ['self_test', '自行检测合格', 'Self-tested: qualified'], ['commissioned_test', '委托检测合格', 'Commissioned test: qualified']] as const;

/** One batch: its code, labels in three sizes, code lists, certificates ("repeat last") and process records. */
export default function BatchDetailPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const batch = useRequest(() => get<Batch & { events: TraceEvent[] }>(`/batches/${id}`), [id]);
  const certs = useRequest(() => get<Certificate[]>('/certificates', { batchId: id }), [id]);
  const last = useRequest(() => (can('certificate.issue') ? get<{ last: Certificate | null }>('/certificates/last') : Promise.resolve({ last: null })), []);
  const [labels, setLabels] = useState({ size: '40x30', copies: 20, unique: false });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [certOpen, setCertOpen] = useState(false);
  const [issued, setIssued] = useState<Certificate | null>(null);
  const [inputOpen, setInputOpen] = useState(false);
  const [certForm] = Form.useForm();
  const [inputForm] = Form.useForm();
  const b = batch.data;
  if (!b) return <Card loading={batch.loading}><ErrorText error={batch.error} /></Card>;
  const may = (a: string) => b.allowedActions.includes(a);

  const issue = async (body: Record<string, unknown>) => {
    try {
      const c = await post<Certificate>('/certificates', { batchId: b.id, ...body });
      setIssued(c);
      setCertOpen(false);
      void certs.reload();
      void last.reload();
      void batch.reload();
    } catch (e) {
      certForm.setFields(fieldErrors(e, lang));
      message.error(errorMessage(e, lang));
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={<>{b.productName} · {b.batchNo} <Tag color={STATUS_COLORS[b.status]}>{b.statusName}</Tag></>}>
        {b.warnings.map((w) => <Alert key={w.message} type="warning" showIcon message={lang === 'en' ? w.messageEn : w.message} style={{ marginBottom: 8 }} />)}
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('追溯码', 'Trace code')}><Typography.Text copyable code data-testid="batch-code" style={{ fontSize: 18 }}>{b.code}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('扫码地址', 'QR URL')}><a href={b.codeUrl ?? '#'} target="_blank" rel="noreferrer">{b.codeUrl}</a></Descriptions.Item>
          <Descriptions.Item label={t('数量 / 库存', 'Quantity / stock')}>{b.quantity} / {b.stock} {b.unit}</Descriptions.Item>
          <Descriptions.Item label={t('生产日期', 'Date')}>{new Date(b.producedAt).toLocaleDateString('zh-CN')}</Descriptions.Item>
          <Descriptions.Item label={t('产地', 'Origin')}>{b.originName} {b.baseName}</Descriptions.Item>
          <Descriptions.Item label={t('自检', 'Self-check')}>{{ pass: t('合格', 'Pass'), fail: t('不合格', 'Fail'), untested: t('未检', 'Not tested') }[b.selfCheck]}</Descriptions.Item>
        </Descriptions>
      </Card>
      <ErrorText error={actionError} />
      <Row gutter={[16, 16]}>
        {can('code.issue') && may('printLabels') && (
          <Col xs={24} lg={12}>
            <Card title={t('打印追溯标签', 'Print labels')}>
              <Space direction="vertical" style={{ width: '100%' }} size="middle">
                <Radio.Group size="large" optionType="button" buttonStyle="solid" value={labels.size} onChange={(e) => setLabels({ ...labels, size: e.target.value })} options={[{ value: '40x30', label: '40×30' }, { value: '60x40', label: '60×40' }, { value: 'a4', label: t('A4 整张', 'A4 sheet') }]} />
                <Space wrap>
                  {t('份数', 'Copies')} <InputNumber size="large" min={1} max={2000} value={labels.copies} onChange={(v) => setLabels({ ...labels, copies: v ?? 1 })} data-testid="label-copies" />
                  <Switch checked={labels.unique} onChange={(v) => setLabels({ ...labels, unique: v })} /> {t('一物一码（每张新码）', 'A new code per label')}
                </Space>
                <Space wrap>
                  <Button type="primary" size="large" loading={busy} data-testid="label-download" onClick={async () => {
                    setBusy(true);
                    setActionError(undefined);
                    try {
                      await postDownload(`/batches/${b.id}/labels`, labels, `labels-${b.batchNo}.pdf`);
                    } catch (e) {
                      setActionError(e);
                    } finally {
                      setBusy(false);
                    }
                  }}>{t('下载标签 PDF', 'Download label PDF')}</Button>
                  <Button size="large" onClick={() => download(`/batches/${b.id}/codes`, { format: 'xlsx' }).catch(setActionError)}>{t('下载码表 Excel', 'Codes as Excel')}</Button>
                  <Button size="large" onClick={() => download(`/batches/${b.id}/codes`, { format: 'csv' }).catch(setActionError)}>CSV</Button>
                </Space>
              </Space>
            </Card>
          </Col>
        )}
        {can('certificate.issue') && may('issueCertificate') && (
          <Col xs={24} lg={12}>
            <Card title={t('承诺达标合格证', 'Compliance certificate')}>
              <Space wrap>
                <Button type="primary" size="large" data-testid="cert-new" onClick={() => setCertOpen(true)}>{t('开具合格证', 'Issue a certificate')}</Button>
                {can('input.record') && <Button size="large" data-testid="input-new" onClick={() => setInputOpen(true)}>{t('记录投入品/农事', 'Record inputs / farming')}</Button>}
              </Space>
              {issued && (
                <Result status="success" title={t(`合格证 ${issued.number} 已开具`, `Certificate ${issued.number} issued`)} subTitle={<><img src={`/api/v1/certificates/${issued.id}/qr.svg`} alt={t('电子合格证二维码', 'Certificate QR code')} style={{ width: 200, height: 200 }} /><pre data-testid="cert-qrtext" style={{ whiteSpace: 'pre-wrap', textAlign: 'left' }}>{issued.qrText}</pre></>}
                  extra={<Button size="large" onClick={() => download(`/certificates/${issued.id}/pdf`, undefined, `${issued.number}.pdf`)}>{t('下载打印 PDF', 'PDF for printing')}</Button>} />
              )}
            </Card>
          </Col>
        )}
      </Row>
      <Card title={t('本批次合格证', 'Certificates of this batch')}>
        <Table<Certificate> rowKey="id" size="small" dataSource={certs.data} pagination={false} columns={[
          { title: t('编号', 'Number'), dataIndex: 'number' },
          { title: t('数量', 'Quantity'), render: (_, c) => `${c.quantity} ${c.unit}` },
          { title: t('依据', 'Basis'), render: (_, c) => c.basis.map((x) => x.text).join('、') },
          { title: t('开具时间', 'Issued'), dataIndex: 'issuedAt', render: (d: string) => new Date(d).toLocaleString('zh-CN') },
          { title: '', render: (_, c) => <a onClick={() => download(`/certificates/${c.id}/pdf`, undefined, `${c.number}.pdf`)}>PDF</a> },
        ]} />
      </Card>
      <Card title={t('追溯事件', 'Trace events')}>
        <Timeline items={b.events.map((e) => ({ children: <>{new Date(e.eventTime).toLocaleString('zh-CN')} · {BIZ_STEPS[e.bizStep] ? t(...BIZ_STEPS[e.bizStep]) : e.bizStep}{e.qtyDelta ? ` (${e.qtyDelta > 0 ? '+' : ''}${e.qtyDelta} ${b.unit})` : ''}{e.corrects ? ` · ${t('更正', 'correction')}` : ''}</> }))} />
      </Card>
      <Modal open={certOpen} title={t('开具承诺达标合格证', 'Issue a compliance certificate')} onCancel={() => setCertOpen(false)} footer={null} destroyOnHidden>
        <Form form={certForm} layout="vertical" size="large" initialValues={{ basis: b.selfCheck === 'pass' ? ['self_test', 'control'] : ['control'], quantity: Math.min(b.stock || b.quantity, b.quantity) }} onFinish={(v) => issue(v)}>
          <Form.Item name="quantity" label={`${t('数量', 'Quantity')}（${b.unit}）`} rules={[{ required: true }]}><InputNumber data-testid="cert-quantity" min={0.001} style={{ width: '100%' }} inputMode="decimal" /></Form.Item>
          <Form.Item name="basis" label={t('承诺依据', 'Basis of the promise')} rules={[{ required: true, message: t('请至少选一项', 'Choose at least one') }]}>
            <Checkbox.Group options={BASIS.map(([v, zh, en]) => ({ value: v, label: t(zh, en), disabled: v === 'self_test' && b.selfCheck !== 'pass' }))} />
          </Form.Item>
          <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('我承诺：不使用禁用农药兽药、停用兽药和非法添加物；常规农药兽药残留不超标。', 'I promise: no banned pesticides/veterinary drugs or illegal additives; residues within limits.')} />
          <Space wrap>
            <Button type="primary" htmlType="submit" size="large" data-testid="cert-submit">{t('确认开具', 'Issue')}</Button>
            {last.data?.last && <Button size="large" data-testid="cert-repeat" onClick={() => issue({ repeatLast: true, quantity: certForm.getFieldValue('quantity') })}>{t('重复上一张（只改数量）', 'Repeat last (quantity only)')}</Button>}
          </Space>
        </Form>
      </Modal>
      <Modal open={inputOpen} title={t('记录投入品使用或农事操作', 'Record an input or a farming operation')} okText={t('保存', 'Save')} onCancel={() => setInputOpen(false)} onOk={() => inputForm.submit()} destroyOnHidden>
        <Form form={inputForm} layout="vertical" size="large" initialValues={{ kind: 'pesticide', usedOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }} onFinish={async (v) => {
          try {
            const baseId = (await get<{ id: string; name: string }[]>('/bases', { pageSize: 200 })).find((x) => x.name === b.baseName)?.id;
            const r = await post<{ warnings: { message: string }[] }>('/input-uses', { ...v, baseId, batchId: b.id });
            setInputOpen(false);
            if (r.warnings.length) Modal.warning({ title: t('安全间隔期提醒', 'Safety interval'), content: r.warnings.map((w) => w.message).join('\n') });
            else message.success(t('已记录', 'Recorded'));
            void batch.reload();
          } catch (e) {
            inputForm.setFields(fieldErrors(e, lang));
            message.error(errorMessage(e, lang));
          }
        }}>
          <Form.Item name="kind" label={t('类别', 'Kind')}><Select options={[['pesticide', '农药', 'Pesticide'], ['fertiliser', '肥料', 'Fertiliser'], ['vet_drug', '兽药', 'Veterinary drug'], ['feed', '饲料', 'Feed'], ['operation', '农事操作', 'Farming operation']].map(([v, zh, en]) => ({ value: v, label: t(zh, en) }))} /></Form.Item>
          <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="registrationNo" label={t('登记证号/批准文号', 'Registration number')}><Input /></Form.Item>
          <Space><Form.Item name="dose" label={t('用量', 'Dose')}><InputNumber min={0} /></Form.Item><Form.Item name="doseUnit" label={t('单位', 'Unit')}><Input style={{ width: 100 }} placeholder="g/亩" /></Form.Item></Space>
          <Form.Item name="usedOn" label={t('使用日期', 'Date used')} rules={[{ required: true }]}><Input type="date" /></Form.Item>
          <Form.Item name="safetyDays" label={t('安全间隔期/休药期（天）', 'Safety interval (days)')}><InputNumber min={0} max={365} /></Form.Item>
          <Form.Item name="operation" label={t('农事操作内容', 'Operation')}><Input /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
