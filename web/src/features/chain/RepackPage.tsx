import { App, Button, Card, Form, Input, InputNumber, Radio, Result, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { type ApiData, http } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage, fieldErrors } from '../../shared/ui/ErrorText';
import { codeOf, ScanInput } from '../../shared/ui/ScanInput';
import { useApiQuery } from '../../shared/useApiQuery';
import { useQueryClient } from '@tanstack/react-query';

type TransformResult = ApiData<'post', '/api/v1/batches/merge'>;
type Batch = TransformResult['outputs'][number];

/** 分装、重新包装、合并（混批）：每个新批次都有新追溯码，数量守恒，合格证按 2025 规定重新开具。 */
export default function RepackPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [mode, setMode] = useState<'repack' | 'split' | 'merge'>('repack');
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<TransformResult | null>(null);
  const queryClient = useQueryClient();
  const batches = useApiQuery('/api/v1/batches', { params: { query: { pageSize: 200 } } });
  const usable = (batches.data?.items ?? []).filter((b) => b.stock > 0 && b.allowedActions.includes('split'));
  const options = usable.map((b) => ({
    value: b.id,
    label: `${b.productName} ${b.batchNo}（${t('库存', 'stock')} ${b.stock}${b.unit}）`,
  }));

  // A scanned or typed batch code chooses the batch (the list holds the caller's batches with stock).
  const pickByCode = (code: string) => {
    const hit = usable.find((b) => b.code === code);
    if (hit) form.setFieldValue('batchId', hit.id);
    else
      message.warning(
        t(
          '没有找到可分装的本主体批次（码不对、库存为零或不是本主体的批次）',
          'None of your batches with stock has this code',
        ),
      );
  };

  const submit = async (v: { batchId?: string; parts?: string; quantity?: number; inputs?: string[] }) => {
    setError(undefined);
    try {
      let r: TransformResult;
      if (mode === 'merge')
        r = await http.post('/api/v1/batches/merge', {
          body: { inputs: (v.inputs ?? []).map((batchId) => ({ batchId })) },
        });
      else {
        const parts =
          mode === 'repack'
            ? [{ quantity: v.quantity ?? 0 }]
            : String(v.parts ?? '')
                .split(/[,，\s]+/)
                .filter(Boolean)
                .map((x) => ({ quantity: Number(x) }));
        r = await http.post('/api/v1/batches/{id}/split', {
          params: { path: { id: v.batchId ?? '' } },
          body: { parts, mode: mode === 'repack' ? 'repack' : 'split' },
        });
      }
      setDone(r);
      void queryClient.invalidateQueries({ queryKey: ['/api/v1/batches'] });
    } catch (e) {
      form.setFields(
        fieldErrors(e, lang).map((f) => ({
          ...f,
          name: f.name.startsWith('parts')
            ? mode === 'repack'
              ? 'quantity'
              : 'parts'
            : f.name.startsWith('inputs')
              ? 'inputs'
              : f.name,
        })),
      );
      setError(e);
      message.error(errorMessage(e, lang));
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 720 }}>
      <Card title={t('分装 · 重新包装 · 合并', 'Split · repack · merge')}>
        <Radio.Group
          size="large"
          optionType="button"
          buttonStyle="solid"
          value={mode}
          onChange={(e) => setMode(e.target.value)}
          style={{ marginBottom: 16 }}
          options={[
            { value: 'repack', label: t('重新包装', 'Repack') },
            { value: 'split', label: t('分装成几份', 'Split') },
            { value: 'merge', label: t('合并（混批）', 'Merge') },
          ]}
        />
        <ErrorText error={error} />
        <Form
          form={form}
          layout="vertical"
          size="large"
          onFinish={submit}
          initialValues={{ batchId: params.get('batch') ?? undefined }}
        >
          {mode !== 'merge' && (
            <Form.Item label={t('扫批次码选择', 'Scan the batch code')}>
              <ScanInput
                testId="repack-scan"
                placeholder={t('扫码或输入批次追溯码', 'Scan or type the batch code')}
                onScan={pickByCode}
                onPressEnter={(e) => {
                  e.preventDefault();
                  pickByCode(codeOf(e.currentTarget.value));
                }}
              />
            </Form.Item>
          )}
          {mode !== 'merge' ? (
            <Form.Item
              name="batchId"
              label={t('原批次', 'From batch')}
              rules={[{ required: true, message: t('请选择批次', 'Choose a batch') }]}
            >
              <Select options={options} data-testid="repack-batch" showSearch optionFilterProp="label" />
            </Form.Item>
          ) : (
            <Form.Item
              name="inputs"
              label={t(
                '要合并的批次（同一种产品，至少两个，全部库存并入）',
                'Batches to merge (one product, two or more, all stock)',
              )}
              rules={[{ required: true, message: t('请选择批次', 'Choose batches') }]}
            >
              <Select mode="multiple" options={options} />
            </Form.Item>
          )}
          {mode === 'repack' && (
            <Form.Item
              name="quantity"
              label={t('新包装的数量', 'Quantity repacked')}
              rules={[{ required: true, message: t('请填写数量', 'Give the quantity') }]}
            >
              <InputNumber min={0.001} style={{ width: '100%' }} data-testid="repack-quantity" />
            </Form.Item>
          )}
          {mode === 'split' && (
            <Form.Item
              name="parts"
              label={t('每份数量，用逗号分开（如 10,10,20）', 'Quantity of each part, comma separated (e.g. 10,10,20)')}
              rules={[{ required: true, message: t('请填写每份数量', 'Give the parts') }]}
            >
              <Input data-testid="split-parts" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block data-testid="repack-submit">
            {t('生成新批次和追溯码', 'Make the new batches and codes')}
          </Button>
        </Form>
      </Card>
      {done && (
        <Result
          status="success"
          data-testid="repack-done"
          title={t(`已生成 ${done.outputs.length} 个新批次`, `${done.outputs.length} new batches`)}
          subTitle={
            done.certificates.length
              ? t(
                  `已重新开具合格证 ${done.certificates.join('、')}`,
                  `Certificates re-issued: ${done.certificates.join(', ')}`,
                )
              : done.certificateWarning
          }
        >
          <Table<Batch>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={done.outputs}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('批次号', 'Batch'), dataIndex: 'batchNo' },
              {
                title: t('追溯码', 'Code'),
                render: (_, b) => (
                  <Typography.Text copyable code>
                    {b.code}
                  </Typography.Text>
                ),
              },
              { title: t('数量', 'Quantity'), render: (_, b) => `${b.quantity}${b.unit}` },
              {
                title: '',
                render: (_, b) => (
                  <Space>
                    <Button onClick={() => navigate(`/trace/batches/${b.id}`)}>{t('打印标签', 'Labels')}</Button>
                    <Button type="primary" onClick={() => navigate(`/chain/sell?batch=${b.id}`)}>
                      {t('销售', 'Sell')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </Result>
      )}
    </Space>
  );
}
