import { App, Button, Card, Form, Input, InputNumber, Radio, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ApiBody, ApiItem } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useCatalogRules } from '../../shared/useCatalogRules';
import { useApiQuery } from '../../shared/useApiQuery';
import { useQueuedNotice } from '../../shared/offline/useQueuedMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { BaseFields, CreateModal, ProductFields } from './CatalogPage';
import { EnteredByTag } from '../../shared/ui/EnteredBy';
import { SharedFrom } from '../../shared/ui/SharedFrom';
import { SharedRecordDrawer } from '../sharing/SharedRecordDrawer';

type Batch = ApiItem<'/api/v1/batches'>;
type BatchInput = ApiBody<'post', '/api/v1/batches'>;
type BatchStatus = Batch['status'];

export const STATUS_COLORS: Record<BatchStatus, string> = {
  unsold: 'blue',
  partly_sold: 'gold',
  sold_out: 'default',
  merged: 'purple',
};
const STATUSES = [
  ['unsold', '未销售', 'Unsold'],
  ['partly_sold', '部分销售', 'Partly sold'],
  ['sold_out', '已售完', 'Sold out'],
  ['merged', '已合并', 'Merged'],
] as const satisfies readonly (readonly [BatchStatus, string, string])[];
const SELF_CHECKS = [
  ['pass', '合格', 'Pass'],
  ['untested', '未检', 'Not tested'],
  ['fail', '不合格', 'Fail'],
] as const satisfies readonly (readonly [NonNullable<BatchInput['selfCheck']>, string, string])[];
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** Batches: create one in a few taps (product, base, quantity, date), then print labels and issue a certificate. */
export default function BatchesPage() {
  const { t, lang } = useI18n();
  // Required fields, ranges and code lists of the batch form come from the information resource catalogue in force.
  const cat = useCatalogRules('batch');
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queuedNotice = useQueuedNotice();
  const [status, setStatus] = useState<BatchStatus>();
  const [shared, setShared] = useState<Batch | null>(null);
  const list = usePagedTable(
    '/api/v1/batches',
    { status },
    { pagination: { showTotal: (n) => t(`共 ${n} 批`, `${n} batches`) } },
  );
  const manage = can('product.manage');
  const products = useApiQuery('/api/v1/products', { params: { query: { pageSize: 200 } } }, { enabled: manage });
  const bases = useApiQuery('/api/v1/bases', { params: { query: { pageSize: 200 } } }, { enabled: manage });
  const [open, setOpen] = useState<'batch' | 'product' | 'base' | null>(null);
  const unitOf = (id?: string) => products.data?.find((p) => p.id === id)?.unit;
  const [productId, setProductId] = useState<string>();

  return (
    <Card
      title={t('生产批次', 'Production batches')}
      extra={
        can('batch.create') && (
          <Button type="primary" size="large" data-testid="batch-new" onClick={() => setOpen('batch')}>
            {t('新建批次', 'New batch')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 160 }}
          onChange={(s: BatchStatus | undefined) => setStatus(s)}
          options={STATUSES.map(([v, zh, en]) => ({ value: v, label: t(zh, en) }))}
        />
      </Space>
      <ErrorText error={list.error} />
      <Table<Batch>
        rowKey="id"
        {...list.tableProps}
        scroll={{ x: true }}
        onRow={(b) => ({
          onClick: () => (b.originPlatform ? setShared(b) : navigate(`/trace/batches/${b.id}`)),
          style: { cursor: 'pointer' },
        })}
        columns={[
          {
            title: t('批次号', 'Batch'),
            dataIndex: 'batchNo',
            render: (n, b) => (
              <>
                <a data-userdata>{n || b.id.slice(0, 8)}</a> <EnteredByTag by={b.enteredBy} />{' '}
                <SharedFrom origin={b.originPlatform} name={b.originPlatformName} />
              </>
            ),
          },
          { title: t('产品', 'Product'), dataIndex: 'productName' },
          { title: t('数量 / 库存', 'Quantity / stock'), render: (_, b) => `${b.quantity} / ${b.stock} ${b.unit}` },
          {
            title: t('状态', 'Status'),
            dataIndex: 'statusName',
            render: (s: string, b) => (
              <Tag color={b.recalled ? 'red' : STATUS_COLORS[b.status]}>{lang === 'en' ? b.statusNameEn : s}</Tag>
            ),
          },
          {
            title: t('生产日期', 'Date'),
            dataIndex: 'producedAt',
            render: (d: string) => new Date(d).toLocaleDateString('zh-CN'),
          },
          { title: t('追溯码', 'Trace code'), dataIndex: 'code', render: (c) => <code>{c}</code> },
          { title: t('主体', 'Producer'), dataIndex: 'subjectName' },
        ]}
      />
      <SharedRecordDrawer
        row={shared}
        resource="batch"
        title={t('下级平台共享的批次', 'Batch shared from a lower platform')}
        onClose={() => setShared(null)}
        fields={
          shared
            ? [
                [t('批次号', 'Batch'), shared.batchNo],
                [t('数量', 'Quantity'), `${shared.quantity} ${shared.unit}`],
                [t('状态', 'Status'), lang === 'en' ? shared.statusNameEn : shared.statusName],
                [t('生产日期', 'Date'), new Date(shared.producedAt).toLocaleDateString('zh-CN')],
                [t('自检结果', 'Self-check'), shared.selfCheck],
              ]
            : []
        }
      />
      <CreateModal<'/api/v1/batches'>
        open={open === 'batch'}
        title={t('新建生产批次', 'New production batch')}
        path="/api/v1/batches"
        testId="batch"
        onClose={() => setOpen(null)}
        transform={(v) =>
          ({
            ...v,
            producedAt: `${v.producedAt}T08:00:00+08:00`,
            unit: unitOf(v.productId as string),
          }) as BatchInput
        }
        onDone={(row) => {
          setOpen(null);
          message.success(t('批次已创建，已生成追溯码', 'Batch created with its trace code'));
          navigate(`/trace/batches/${row.id}`);
        }}
        queue={{
          kind: 'batch',
          title: (v) => {
            const p = products.data?.find((x) => x.id === v.productId)?.name ?? '';
            return { zh: `批次 ${p} ${v.quantity}${v.unit ?? ''}`, en: `Batch ${p} ${v.quantity}${v.unit ?? ''}` };
          },
          onQueued: () => {
            setOpen(null);
            queuedNotice();
          },
        }}
      >
        <Form.Item label={t('产品', 'Product')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="productId"
              noStyle
              rules={[{ required: true, message: t('请选择产品', 'Choose a product') }]}
            >
              <Select
                data-testid="batch-product"
                placeholder={t('选择产品', 'Choose a product')}
                onChange={setProductId}
                options={products.data?.map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
            <Button onClick={() => setOpen('product')}>{t('新增', 'New')}</Button>
          </Space.Compact>
        </Form.Item>
        <Form.Item label={t('生产基地', 'Base')} required={cat.required('baseId')}>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="baseId" noStyle rules={cat.rules('baseId')}>
              <Select
                data-testid="batch-base"
                allowClear
                placeholder={t('选择基地', 'Choose a base')}
                options={bases.data?.map((b) => ({ value: b.id, label: b.name }))}
              />
            </Form.Item>
            <Button onClick={() => setOpen('base')}>{t('新增', 'New')}</Button>
          </Space.Compact>
        </Form.Item>
        <Form.Item
          name="quantity"
          label={`${t('数量', 'Quantity')}${unitOf(productId) ? `（${unitOf(productId)}）` : ''}`}
          rules={cat.rules('quantity', [{ required: true, message: t('请填写数量', 'Enter the quantity') }])}
        >
          <InputNumber data-testid="batch-quantity" min={0.001} style={{ width: '100%' }} inputMode="decimal" />
        </Form.Item>
        <Form.Item
          name="producedAt"
          label={t('采收/生产日期', 'Harvest / production date')}
          initialValue={today()}
          rules={cat.rules('producedAt', [{ required: true }])}
        >
          <Input type="date" data-testid="batch-date" />
        </Form.Item>
        <Form.Item
          name="selfCheck"
          label={t('自检结果', 'Self-check')}
          initialValue="pass"
          rules={cat.rules('selfCheck')}
        >
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={cat.options(
              'selfCheck',
              SELF_CHECKS.map(([v, zh, en]) => ({ value: v, label: t(zh, en) })),
            )}
          />
        </Form.Item>
      </CreateModal>
      <CreateModal
        open={open === 'product'}
        title={t('新增产品', 'New product')}
        path="/api/v1/products"
        testId="product"
        onClose={() => setOpen('batch')}
        onDone={() => setOpen('batch')}
      >
        <ProductFields />
      </CreateModal>
      <CreateModal
        open={open === 'base'}
        title={t('新增生产基地', 'New production base')}
        path="/api/v1/bases"
        testId="base"
        onClose={() => setOpen('batch')}
        onDone={() => setOpen('batch')}
      >
        <BaseFields />
      </CreateModal>
    </Card>
  );
}
