import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { type ApiBody, type ApiData, download, downloadPost, http } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { useCatalogRules } from '../../shared/useCatalogRules';
import { LabelPrinter } from '../../shared/ui/LabelPrinter';
import { OfflineLabels } from './OfflineLabels';
import { ErrorText, errorMessage, fieldErrors } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { isQueued, useQueuedMutation, useQueuedNotice } from '../../shared/offline/useQueuedMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { STATUS_COLORS } from './BatchesPage';
import { CollectionStatus } from '../infocatalog/CollectionStatus';
import { CorrectBatchButton } from './CorrectBatch';
import { EnteredByTag } from '../../shared/ui/EnteredBy';

type Certificate = ApiData<'post', '/api/v1/certificates'>;
type CertificateInput = ApiBody<'post', '/api/v1/certificates'>;
type LabelsInput = ApiBody<'post', '/api/v1/batches/{id}/labels'>;
type InputUseInput = ApiBody<'post', '/api/v1/input-uses'>;

const BASIS = [
  ['control', '质量安全控制符合要求', 'Quality-safety control meets requirements'],
  ['self_test', '自行检测合格', 'Self-tested: qualified'],
  ['commissioned_test', '委托检测合格', 'Commissioned test: qualified'],
] as const satisfies readonly (readonly [NonNullable<CertificateInput['basis']>[number], string, string])[];
const LABEL_SIZES = ['40x30', '60x40', 'a4'] as const satisfies readonly LabelsInput['size'][];
const INPUT_KINDS = [
  ['pesticide', '农药', 'Pesticide'],
  ['fertiliser', '肥料', 'Fertiliser'],
  ['vet_drug', '兽药', 'Veterinary drug'],
  ['feed', '饲料', 'Feed'],
  ['operation', '农事操作', 'Farming operation'],
] as const satisfies readonly (readonly [InputUseInput['kind'], string, string])[];
/** Trace event business steps (EPCIS bizStep) in words. */
const BIZ_STEPS: Record<string, [string, string]> = {
  commissioning: ['登记批次', 'Batch recorded'],
  correcting: ['更正', 'Correction'],
  certifying: ['开具合格证', 'Certificate issued'],
  input_use: ['投入品使用', 'Input used'],
  farming: ['农事操作', 'Farming operation'],
  shipping: ['销售发货', 'Shipped'],
  receiving: ['收货', 'Received'],
  transforming: ['拆分/合并', 'Split / merge'],
};

/** One batch: its code, labels in three sizes, code lists, certificates ("repeat last") and process records. */
export default function BatchDetailPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const batch = useApiQuery('/api/v1/batches/{id}', { params: { path: { id: id ?? '' } } }, { enabled: !!id });
  const certs = useApiQuery('/api/v1/certificates', { params: { query: { batchId: id } } });
  const last = useApiQuery('/api/v1/certificates/last', undefined, { enabled: can('certificate.issue') });
  // What this batch's certificate may claim: a bought (circulation) batch is offered the upstream certificates or the
  // purchase check, nothing pre-ticked (2025 certificate rules).
  const basisOptions = useApiQuery(
    '/api/v1/certificates/basis',
    { params: { query: { batchId: id ?? '' } } },
    { enabled: !!id && can('certificate.issue') },
  );
  // Through the offline queue: a certificate issued without signal is kept on the device and issued once when online;
  // a refusal then (batch recalled, quantity over the stock) comes back on the queued item, quantity fixable there.
  const issueCertificate = useQueuedMutation('/api/v1/certificates', 'certificate', [
    '/api/v1/certificates',
    '/api/v1/certificates/last',
    '/api/v1/batches/{id}',
  ]);
  const queuedNotice = useQueuedNotice();
  const recordInput = useApiMutation('post', '/api/v1/input-uses', { invalidate: ['/api/v1/batches/{id}'] });
  const [labels, setLabels] = useState<LabelsInput>({ size: '40x30', copies: 20, unique: false });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [certOpen, setCertOpen] = useState(false);
  const [issued, setIssued] = useState<Certificate | null>(null);
  const [inputOpen, setInputOpen] = useState(false);
  const [certForm] = Form.useForm<CertificateInput>();
  const [inputForm] = Form.useForm<InputUseInput>();
  // The certificate and input-use forms take required fields and code lists from the catalogue in force.
  const certCat = useCatalogRules('certificate');
  const inputCat = useCatalogRules('input_use');
  const b = batch.data;
  if (!b)
    return (
      <Card loading={batch.isLoading}>
        <ErrorText error={batch.error} />
      </Card>
    );
  const may = (a: string) => b.allowedActions.includes(a);

  const buyer = basisOptions.data?.circulation ?? false;
  const issue = async (body: CertificateInput) => {
    try {
      const send: CertificateInput = buyer
        ? {
            ...body,
            style: 'buyer',
            sourceNumbers: body.basis?.includes('collected_certificates') ? body.sourceNumbers : undefined,
          }
        : body;
      const what = `${b.productName} ${b.batchNo} ${send.quantity ?? ''}${b.unit}`;
      const c = await issueCertificate(
        { batchId: b.id, ...send },
        {
          zh: `合格证 ${what}`,
          en: `Certificate ${what}`,
          link: `/trace/batches/${b.id}`,
          edit: [{ field: 'quantity', zh: `数量（${b.unit}）`, en: `Quantity (${b.unit})` }],
        },
      );
      if (isQueued(c)) queuedNotice();
      else setIssued(c);
      setCertOpen(false);
    } catch (e) {
      certForm.setFields(fieldErrors(e, lang));
      message.error(errorMessage(e, lang));
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <>
            <span data-userdata>
              {b.productName} · {b.batchNo}
            </span>{' '}
            <Tag color={b.recalled ? 'red' : STATUS_COLORS[b.status]}>
              {lang === 'en' ? b.statusNameEn : b.statusName}
            </Tag>
          </>
        }
        extra={
          can('batch.create') &&
          may('correctBatch') && <CorrectBatchButton id={b.id} quantity={b.quantity} unit={b.unit} />
        }
      >
        <CollectionStatus resource="batch" recordId={b.id} />
        {b.warnings.map((w) => (
          <Alert
            key={w.message}
            type="warning"
            showIcon
            message={lang === 'en' ? w.messageEn : w.message}
            style={{ marginBottom: 8 }}
          />
        ))}
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('追溯码', 'Trace code')}>
            <Typography.Text copyable code data-testid="batch-code" style={{ fontSize: 18 }}>
              {b.code}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('扫码地址', 'QR URL')}>
            <a href={b.codeUrl ?? '#'} target="_blank" rel="noreferrer">
              {b.codeUrl}
            </a>
          </Descriptions.Item>
          {b.enteredBy && (
            <Descriptions.Item label={t('录入', 'Entered')}>
              <EnteredByTag by={b.enteredBy} />
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('数量 / 库存', 'Quantity / stock')}>
            {b.quantity} / {b.stock} {b.unit}
          </Descriptions.Item>
          <Descriptions.Item label={t('生产日期', 'Date')}>
            {new Date(b.producedAt).toLocaleDateString('zh-CN')}
          </Descriptions.Item>
          <Descriptions.Item label={t('产地', 'Origin')}>
            {b.originName} {b.baseName}
          </Descriptions.Item>
          <Descriptions.Item label={t('自检', 'Self-check')}>
            {{ pass: t('合格', 'Pass'), fail: t('不合格', 'Fail'), untested: t('未检', 'Not tested') }[b.selfCheck]}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <ErrorText error={actionError} />
      <Row gutter={[16, 16]}>
        {can('code.issue') && may('printLabels') && (
          <Col xs={24} lg={12}>
            <Card title={t('打印追溯标签', 'Print labels')}>
              <Space direction="vertical" style={{ width: '100%' }} size="middle">
                <Radio.Group
                  size="large"
                  optionType="button"
                  buttonStyle="solid"
                  value={labels.size}
                  onChange={(e) => setLabels({ ...labels, size: e.target.value })}
                  options={LABEL_SIZES.map((v) => ({
                    value: v,
                    label: v === 'a4' ? t('A4 整张', 'A4 sheet') : v.replace('x', '×'),
                  }))}
                />
                <Space wrap>
                  {t('份数', 'Copies')}{' '}
                  <InputNumber
                    size="large"
                    min={1}
                    max={2000}
                    value={labels.copies}
                    onChange={(v) => setLabels({ ...labels, copies: v ?? 1 })}
                    data-testid="label-copies"
                  />
                  <Switch checked={labels.unique} onChange={(v) => setLabels({ ...labels, unique: v })} />{' '}
                  {t('一物一码（每张新码）', 'A new code per label')}
                </Space>
                <Space wrap>
                  <Button
                    type="primary"
                    size="large"
                    loading={busy}
                    data-testid="label-download"
                    onClick={async () => {
                      setBusy(true);
                      setActionError(undefined);
                      try {
                        await downloadPost(
                          '/api/v1/batches/{id}/labels',
                          { params: { path: { id: b.id } }, body: labels },
                          `labels-${b.batchNo}.pdf`,
                        );
                      } catch (e) {
                        setActionError(e);
                      } finally {
                        setBusy(false);
                      }
                    }}
                  >
                    {t('下载标签 PDF', 'Download label PDF')}
                  </Button>
                  <Button
                    size="large"
                    onClick={() =>
                      download('/api/v1/batches/{id}/codes', {
                        params: { path: { id: b.id }, query: { format: 'xlsx' } },
                      }).catch(setActionError)
                    }
                  >
                    {t('下载码表 Excel', 'Codes as Excel')}
                  </Button>
                  <Button
                    size="large"
                    onClick={() =>
                      download('/api/v1/batches/{id}/codes', {
                        params: { path: { id: b.id }, query: { format: 'csv' } },
                      }).catch(setActionError)
                    }
                  >
                    CSV
                  </Button>
                </Space>
                <LabelPrinter
                  qrText={b.codeUrl ?? b.code ?? ''}
                  lines={[b.productName, b.batchNo, new Date(b.producedAt).toLocaleDateString('zh-CN'), b.code ?? '']}
                  copies={labels.copies}
                />
                <OfflineLabels batch={b} />
              </Space>
            </Card>
          </Col>
        )}
        {can('certificate.issue') && may('issueCertificate') && (
          <Col xs={24} lg={12}>
            <Card title={t('承诺达标合格证', 'Compliance certificate')}>
              <Space wrap>
                <Button type="primary" size="large" data-testid="cert-new" onClick={() => setCertOpen(true)}>
                  {t('开具合格证', 'Issue a certificate')}
                </Button>
                {can('input.record') && (
                  <Button size="large" data-testid="input-new" onClick={() => setInputOpen(true)}>
                    {t('记录投入品/农事', 'Record inputs / farming')}
                  </Button>
                )}
              </Space>
              {issued && (
                <Result
                  status="success"
                  title={
                    <span style={{ wordBreak: 'break-all' }}>
                      {t(`合格证 ${issued.number} 已开具`, `Certificate ${issued.number} issued`)}
                    </span>
                  }
                  subTitle={
                    <>
                      <img
                        src={`/api/v1/certificates/${issued.id}/qr.svg`}
                        alt={t('电子合格证二维码', 'Certificate QR code')}
                        style={{ width: 200, height: 200 }}
                      />
                      <pre
                        data-testid="cert-qrtext"
                        style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', textAlign: 'left', maxWidth: '100%' }}
                      >
                        {issued.qrText}
                      </pre>
                    </>
                  }
                  extra={
                    <Button
                      size="large"
                      onClick={() =>
                        download(
                          '/api/v1/certificates/{id}/pdf',
                          { params: { path: { id: issued.id } } },
                          `${issued.number}.pdf`,
                        )
                      }
                    >
                      {t('下载打印 PDF', 'PDF for printing')}
                    </Button>
                  }
                />
              )}
            </Card>
          </Col>
        )}
      </Row>
      <Card title={t('本批次合格证', 'Certificates of this batch')}>
        <Table<Certificate>
          rowKey="id"
          size="small"
          dataSource={certs.data}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            {
              title: t('编号', 'Number'),
              dataIndex: 'number',
              render: (n, c) => (
                <>
                  {n} <EnteredByTag by={c.enteredBy} />
                </>
              ),
            },
            { title: t('数量', 'Quantity'), render: (_, c) => `${c.quantity} ${c.unit}` },
            {
              title: t('依据', 'Basis'),
              render: (_, c) =>
                c.basis.map((x) => (lang === 'en' ? x.textEn : x.text)).join(lang === 'en' ? ', ' : '、'),
            },
            {
              title: t('开具时间', 'Issued'),
              dataIndex: 'issuedAt',
              render: (d: string) => new Date(d).toLocaleString('zh-CN'),
            },
            {
              title: '',
              render: (_, c) => (
                <a
                  onClick={() =>
                    download('/api/v1/certificates/{id}/pdf', { params: { path: { id: c.id } } }, `${c.number}.pdf`)
                  }
                >
                  PDF
                </a>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('追溯事件', 'Trace events')}>
        <Timeline
          items={b.events.map((e) => ({
            children: (
              <>
                {new Date(e.eventTime).toLocaleString('zh-CN')} ·{' '}
                {BIZ_STEPS[e.bizStep] ? t(...BIZ_STEPS[e.bizStep]) : e.bizStep}
                {e.qtyDelta ? ` (${e.qtyDelta > 0 ? '+' : ''}${e.qtyDelta} ${b.unit})` : ''}
                {e.corrects ? ` · ${t('更正', 'correction')}` : ''}
              </>
            ),
          }))}
        />
      </Card>
      <Modal
        open={certOpen}
        title={t('开具承诺达标合格证', 'Issue a compliance certificate')}
        onCancel={() => setCertOpen(false)}
        footer={null}
        destroyOnHidden
      >
        <Form
          form={certForm}
          layout="vertical"
          size="large"
          initialValues={{
            // A buyer ticks its own basis; a producer whose own self-check passed starts from it.
            basis: buyer ? [] : b.selfCheck === 'pass' ? ['self_test', 'control'] : ['control'],
            sourceNumbers: basisOptions.data?.upstreamCertificates.map((c) => c.number) ?? [],
            quantity: Math.min(b.stock || b.quantity, b.quantity),
          }}
          onFinish={(v) => issue(v)}
        >
          <Form.Item
            name="quantity"
            label={`${t('数量', 'Quantity')}（${b.unit}）`}
            rules={certCat.rules('quantity', [{ required: true }])}
          >
            <InputNumber data-testid="cert-quantity" min={0.001} style={{ width: '100%' }} inputMode="decimal" />
          </Form.Item>
          <Form.Item
            name="basis"
            label={t('承诺依据', 'Basis of the promise')}
            rules={certCat.rules('basis', [{ required: true, message: t('请至少选一项', 'Choose at least one') }])}
          >
            <Checkbox.Group
              data-testid="cert-basis"
              options={
                buyer
                  ? (basisOptions.data?.options ?? []).map((o) => ({
                      value: o.code,
                      label: lang === 'en' ? o.textEn : o.text,
                    }))
                  : certCat.options(
                      'basis',
                      BASIS.map(([v, zh, en]) => ({
                        value: v,
                        label: t(zh, en),
                        disabled: v === 'self_test' && b.selfCheck !== 'pass',
                      })),
                    )
              }
            />
          </Form.Item>
          {buyer && (
            <>
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="cert-buyer-note"
                message={t(
                  `收购者开具：以持有的上游合格证或收购时查验为依据。产地：${basisOptions.data?.origin ?? ''}`,
                  `Buyer style: based on the upstream certificates you hold or your purchase check. Origin: ${basisOptions.data?.origin ?? ''}`,
                )}
              />
              <Form.Item
                name="sourceNumbers"
                label={t('持有的上游合格证', 'Upstream certificates held')}
                rules={certCat.rules('sourceNumbers')}
              >
                {basisOptions.data?.upstreamCertificates.length ? (
                  <Checkbox.Group
                    options={basisOptions.data.upstreamCertificates.map((c) => ({
                      value: c.number,
                      label: `${c.number} · ${c.subjectName} · ${c.productName}`,
                    }))}
                  />
                ) : (
                  <Typography.Text type="secondary">
                    {t(
                      '上游没有电子合格证：可选择收购时查验合格',
                      'No upstream certificate on record: choose your purchase check',
                    )}
                  </Typography.Text>
                )}
              </Form.Item>
            </>
          )}
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message={t(
              '我承诺：不使用禁用农药兽药、停用兽药和非法添加物；常规农药兽药残留不超标。',
              'I promise: no banned pesticides/veterinary drugs or illegal additives; residues within limits.',
            )}
          />
          <Space wrap>
            <Button type="primary" htmlType="submit" size="large" data-testid="cert-submit">
              {t('确认开具', 'Issue')}
            </Button>
            {last.data?.last && (
              <Button
                size="large"
                data-testid="cert-repeat"
                onClick={() => issue({ repeatLast: true, quantity: certForm.getFieldValue('quantity') })}
              >
                {t('重复上一张（只改数量）', 'Repeat last (quantity only)')}
              </Button>
            )}
          </Space>
        </Form>
      </Modal>
      <Modal
        open={inputOpen}
        title={t('记录投入品使用或农事操作', 'Record an input or a farming operation')}
        okText={t('保存', 'Save')}
        onCancel={() => setInputOpen(false)}
        onOk={() => inputForm.submit()}
        destroyOnHidden
      >
        <Form
          form={inputForm}
          layout="vertical"
          size="large"
          initialValues={{ kind: 'pesticide', usedOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }}
          onFinish={async (v) => {
            try {
              const bases = await http.get('/api/v1/bases', { params: { query: { pageSize: 200 } } });
              const baseId = bases.find((x) => x.name === b.baseName)?.id;
              const r = await recordInput.mutateAsync({
                body: { ...v, baseId: baseId as string, batchId: b.id },
              });
              setInputOpen(false);
              if (r.warnings.length)
                Modal.warning({
                  title: t('安全间隔期提醒', 'Safety interval'),
                  content: r.warnings.map((w) => (lang === 'en' ? w.messageEn : w.message)).join('\n'),
                });
              else message.success(t('已记录', 'Recorded'));
            } catch (e) {
              inputForm.setFields(fieldErrors(e, lang));
              message.error(errorMessage(e, lang));
            }
          }}
        >
          <Form.Item name="kind" label={t('类别', 'Kind')} rules={inputCat.rules('kind')}>
            <Select
              options={inputCat.options(
                'kind',
                INPUT_KINDS.map(([v, zh, en]) => ({ value: v, label: t(zh, en) })),
              )}
            />
          </Form.Item>
          <Form.Item name="name" label={t('名称', 'Name')} rules={inputCat.rules('name', [{ required: true }])}>
            <Input />
          </Form.Item>
          <Form.Item
            name="registrationNo"
            label={t('登记证号/批准文号', 'Registration number')}
            rules={inputCat.rules('registrationNo')}
          >
            <Input />
          </Form.Item>
          <Space>
            <Form.Item name="dose" label={t('用量', 'Dose')} rules={inputCat.rules('dose')}>
              <InputNumber min={0} />
            </Form.Item>
            <Form.Item name="doseUnit" label={t('单位', 'Unit')} rules={inputCat.rules('doseUnit')}>
              <Input style={{ width: 100 }} placeholder="g/亩" />
            </Form.Item>
          </Space>
          <Form.Item
            name="usedOn"
            label={t('使用日期', 'Date used')}
            rules={inputCat.rules('usedOn', [{ required: true }])}
          >
            <Input type="date" />
          </Form.Item>
          <Form.Item
            name="safetyDays"
            label={t('安全间隔期/休药期（天）', 'Safety interval (days)')}
            rules={inputCat.rules('safetyDays')}
          >
            <InputNumber min={0} max={365} />
          </Form.Item>
          <Form.Item name="operation" label={t('农事操作内容', 'Operation')} rules={inputCat.rules('operation')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
