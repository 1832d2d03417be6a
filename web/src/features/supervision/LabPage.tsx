import { App, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ApiBody } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { useCatalogRules } from '../../shared/useCatalogRules';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { isQueued, useQueuedMutation, useQueuedNotice } from '../../shared/offline/useQueuedMutation';
import { type Assignment, label, STATUS_COLORS, type Sheet } from './api';
import { ResultsImport } from './ResultsImport';
import { SharedFrom } from '../../shared/ui/SharedFrom';
import { SharedRecordDrawer } from '../sharing/SharedRecordDrawer';
import { ScanInput } from '../../shared/ui/ScanInput';

type SheetInput = ApiBody<'post', '/api/v1/monitoring-assignments/{id}/sheets'>;
interface SheetForm {
  productName: string;
  identityCode?: string;
  tempName?: string;
  traceCode?: string;
  place: string;
  divisionCode?: string;
  quantity?: string;
}

/** 检测机构: my assignments → sampling sheets → results per item (single entry or Excel import). */
export default function LabPage() {
  const { t, lang } = useI18n();
  // The sampling sheet takes its required fields and lengths from the information resource catalogue (sampling).
  const sheetCat = useCatalogRules('sampling');
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const assignments = usePagedTable('/api/v1/monitoring-assignments/mine', {});
  const sheets = usePagedTable('/api/v1/sampling-sheets', {});
  const invalidate = ['/api/v1/sampling-sheets' as const, '/api/v1/monitoring-assignments/mine' as const];
  // Through the offline queue: a sheet filled in the field without signal is kept on the device and sent once.
  const takeSample = useQueuedMutation('/api/v1/monitoring-assignments/{id}/sheets', 'sampling', invalidate);
  const queuedNotice = useQueuedNotice();
  const enterResults = useApiMutation('post', '/api/v1/sampling-sheets/{id}/results', { invalidate });
  const [sampling, setSampling] = useState<Assignment | null>(null);
  const [testing, setTesting] = useState<Sheet | null>(null);
  const [shared, setShared] = useState<Sheet | null>(null);
  const [error, setError] = useState<unknown>();
  const [sf] = Form.useForm<SheetForm>();
  const [rf] = Form.useForm();

  const sheetSubmit = useSubmit(
    sf,
    (v) => {
      const a = sampling as Assignment;
      const body: SheetInput = {
        productName: v.productName,
        traceCode: v.traceCode || null,
        identityCode: v.identityCode || null,
        tempSubject: v.identityCode ? null : v.tempName ? { name: v.tempName } : null,
        place: v.place,
        // An assignment to a whole county or city may name the township sampled.
        divisionCode: v.divisionCode || a.divisionCode,
        sampledAt: new Date().toISOString(),
        quantity: v.quantity || null,
      };
      return takeSample(body, {
        zh: `抽样单 ${body.productName} ${body.place}`,
        en: `Sampling sheet ${body.productName} ${body.place}`,
        link: '/monitoring/lab',
        path: { id: a.id },
      });
    },
    {
      inline: true,
      onSuccess: (s) => {
        if (isQueued(s)) queuedNotice();
        else message.success(t(`抽样单已提交，样品编号 ${s.sampleCode}`, `Sheet saved: sample ${s.sampleCode}`));
        setSampling(null);
        sf.resetFields();
      },
    },
  );
  const submitResults = async (v: Record<string, unknown>) => {
    if (!testing) return;
    try {
      const results = testing.taskItems.map((i) => {
        const raw = v[`v_${i.item}`];
        const num = typeof raw === 'number' ? raw : null;
        return {
          item: i.item,
          unit: i.unit,
          limit: i.limit,
          standard: i.standard,
          value: num,
          valueText: num === null ? '未检出' : null,
          ...(num === null ? { passed: true } : {}),
        };
      });
      const r = await enterResults.mutateAsync({ params: { path: { id: testing.id } }, body: { results } });
      setTesting(null);
      rf.resetFields();
      if (r.riskCaseId)
        modal.warning({
          title: t('检测不合格，已自动启动风险处置', 'Failed: the risk chain has started'),
          content: t(
            '已通知主体所在县监管机构，并记入主体诚信档案。',
            'The producer’s county is notified and the credit archive updated.',
          ),
        });
      else message.success(t('检测结果已录入：合格', 'Results saved: passed'));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <ErrorText error={error ?? sheetSubmit.error ?? assignments.error ?? sheets.error} />
      <Card title={t('我的抽样任务', 'My sampling assignments')}>
        <Table<Assignment>
          rowKey="id"
          size="small"
          {...assignments.tableProps}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('任务', 'Task'), render: (_, a) => `${a.taskTitle}（${a.taskCode}）` },
            { title: t('地区', 'Area'), dataIndex: 'divisionCode', render: (c) => <DivisionName code={c} /> },
            { title: t('进度', 'Progress'), render: (_, a) => `${a.sampled} / ${a.quantity}` },
            { title: t('期限', 'Deadline'), dataIndex: 'deadline' },
            {
              title: '',
              render: (_, a) =>
                a.allowedActions.includes('sample') && (
                  <Button
                    type="primary"
                    data-testid={`sample-${a.taskCode}`}
                    onClick={() => {
                      setError(undefined);
                      sheetSubmit.clearError();
                      setSampling(a);
                      sf.setFieldsValue({ productName: a.products[0] });
                    }}
                  >
                    {t('抽样', 'Sample')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Card
        title={t('抽样单与检测结果', 'Sampling sheets and results')}
        extra={<ResultsImport onImported={() => sheets.refetch()} />}
      >
        <Table<Sheet>
          rowKey="id"
          size="small"
          {...sheets.tableProps}
          scroll={{ x: 'max-content' }}
          onRow={(s) => (s.originPlatform ? { onClick: () => setShared(s), style: { cursor: 'pointer' } } : {})}
          columns={[
            { title: t('样品编号', 'Sample'), dataIndex: 'sampleCode' },
            {
              title: t('产品', 'Product'),
              dataIndex: 'productName',
              render: (n: string, s) => (
                <>
                  <span data-userdata>{n}</span> <SharedFrom origin={s.originPlatform} name={s.originPlatformName} />
                </>
              ),
            },
            { title: t('被抽样主体', 'Producer'), dataIndex: 'subjectName' },
            { title: t('追溯码/临时码', 'Code'), render: (_, s) => <code>{s.traceCode ?? s.tempCode}</code> },
            {
              title: t('状态', 'Status'),
              render: (_, s) => <Tag color={STATUS_COLORS[s.status]}>{label(lang, s.statusZh, s.statusEn)}</Tag>,
            },
            {
              title: t('结果', 'Results'),
              render: (_, s) =>
                s.results.map((r) => (
                  <div key={r.item}>
                    {r.item} {label(lang, r.shown, r.shownEn)}{' '}
                    {r.passed ? '✓' : <Tag color="red">{t('超标', 'over limit')}</Tag>}
                  </div>
                )),
            },
            {
              title: '',
              render: (_, s) =>
                s.allowedActions.includes('enterResults') && (
                  <Button
                    data-testid={`results-${s.sampleCode}`}
                    onClick={() => {
                      setError(undefined);
                      setTesting(s);
                    }}
                  >
                    {t('录入结果', 'Enter results')}
                  </Button>
                ),
            },
          ]}
        />
        <SharedRecordDrawer
          row={shared}
          resource="sampling"
          title={t('下级平台共享的抽样单', 'Sampling sheet shared from a lower platform')}
          onClose={() => setShared(null)}
          fields={
            shared
              ? [
                  [t('产品', 'Product'), shared.productName],
                  [t('抽样地点', 'Sampling place'), shared.place],
                  [t('抽样时间', 'Sampled at'), new Date(shared.sampledAt).toLocaleString('zh-CN')],
                  [t('状态', 'Status'), label(lang, shared.statusZh, shared.statusEn)],
                  [
                    t('检测结果', 'Results'),
                    shared.results
                      .map((r) => `${r.item} ${label(lang, r.shown, r.shownEn)} ${r.passed ? '✓' : '✗'}`)
                      .join('；'),
                  ],
                ]
              : []
          }
        />
      </Card>
      <Modal
        open={!!sampling}
        title={t('填写抽样单', 'Sampling sheet')}
        onCancel={() => setSampling(null)}
        onOk={() => sf.submit()}
        okText={t('提交', 'Submit')}
        okButtonProps={{ size: 'large', loading: sheetSubmit.submitting, 'data-testid': 'sheet-submit' } as never}
        destroyOnHidden
      >
        <Form form={sf} layout="vertical" size="large" onFinish={sheetSubmit.onFinish}>
          <Form.Item
            name="productName"
            label={t('产品', 'Product')}
            rules={sheetCat.rules('productName', [{ required: true }])}
          >
            <Select data-testid="sheet-product" options={sampling?.products.map((p) => ({ value: p, label: p }))} />
          </Form.Item>
          <Form.Item
            name="identityCode"
            label={t('主体身份码（扫码或输入）', 'Producer identity code')}
            rules={sheetCat.rules('identityCode')}
          >
            <ScanInput testId="sheet-identity-scan" data-testid="sheet-identity" />
          </Form.Item>
          <Form.Item name="tempName" label={t('未注册主体名称（无身份码时填写）', 'Unregistered producer (no code)')}>
            <Input />
          </Form.Item>
          <Form.Item
            name="traceCode"
            label={t('产品追溯码（没有可留空，自动生成临时码）', 'Trace code (empty → temporary code)')}
            rules={sheetCat.rules('traceCode')}
          >
            <Input data-testid="sheet-trace" />
          </Form.Item>
          <Form.Item name="place" label={t('抽样地点', 'Place')} rules={sheetCat.rules('place', [{ required: true }])}>
            <Input data-testid="sheet-place" />
          </Form.Item>
          <Form.Item name="divisionCode" label={t('抽样地所在乡镇（可选）', 'Township (optional)')}>
            <DivisionPicker root={me?.scope} maxLevel={4} />
          </Form.Item>
          <Form.Item name="quantity" label={t('抽样数量', 'Quantity')} rules={sheetCat.rules('quantity')}>
            <Input placeholder="1 kg" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!testing}
        title={t(`录入检测结果 ${testing?.sampleCode ?? ''}`, `Results ${testing?.sampleCode ?? ''}`)}
        onCancel={() => setTesting(null)}
        onOk={() => rf.submit()}
        okText={t('提交', 'Submit')}
        okButtonProps={{ size: 'large', 'data-testid': 'results-submit' } as never}
        destroyOnHidden
      >
        <Form form={rf} layout="vertical" size="large" onFinish={submitResults}>
          {testing?.taskItems.map((i) => (
            <Form.Item
              key={i.item}
              name={`v_${i.item}`}
              label={`${i.item}（${i.unit}，${t('限量', 'limit')} ${i.limit ?? '-'}，${i.standard}）`}
              extra={t('未检出请留空', 'Leave empty when not detected')}
            >
              <InputNumber data-testid={`value-${i.item}`} min={0} style={{ width: '100%' }} inputMode="decimal" />
            </Form.Item>
          ))}
          <Radio.Group
            disabled
            value="auto"
            options={[{ value: 'auto', label: t('按限量自动判定合格/不合格', 'Pass/fail judged against the limit') }]}
          />
        </Form>
      </Modal>
    </Space>
  );
}
