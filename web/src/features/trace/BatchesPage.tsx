import { App, Button, Card, Form, Input, InputNumber, Radio, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { get, type Page } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import type { Base, Batch, Product } from './api';
import { BaseFields, CreateModal, ProductFields } from './CatalogPage';

export const STATUS_COLORS: Record<string, string> = { unsold: 'blue', partly_sold: 'gold', sold_out: 'default', merged: 'purple' };
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** Batches: create one in a few taps (product, base, quantity, date), then print labels and issue a certificate. */
export default function BatchesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<string>();
  const list = useRequest(() => get<Page<Batch>>('/batches', { page, pageSize: 20, status }), [page, status]);
  const products = useRequest(() => (can('product.manage') ? get<Product[]>('/products', { pageSize: 200 }) : Promise.resolve([])), []);
  const bases = useRequest(() => (can('product.manage') ? get<Base[]>('/bases', { pageSize: 200 }) : Promise.resolve([])), []);
  const [open, setOpen] = useState<'batch' | 'product' | 'base' | null>(null);
  const unitOf = (id?: string) => products.data?.find((p) => p.id === id)?.unit;
  const [productId, setProductId] = useState<string>();

  return (
    <Card title={t('生产批次', 'Production batches')} extra={can('batch.create') && <Button type="primary" size="large" data-testid="batch-new" onClick={() => setOpen('batch')}>{t('新建批次', 'New batch')}</Button>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('状态', 'Status')} style={{ width: 160 }} onChange={(s) => { setPage(1); setStatus(s); }} options={[
          { value: 'unsold', label: t('未销售', 'Unsold') }, { value: 'partly_sold', label: t('部分销售', 'Partly sold') }, { value: 'sold_out', label: t('已售完', 'Sold out') }, { value: 'merged', label: t('已合并', 'Merged') },
        ]} />
      </Space>
      <ErrorText error={list.error} />
      <Table<Batch>
        rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: true }}
        onRow={(b) => ({ onClick: () => navigate(`/trace/batches/${b.id}`), style: { cursor: 'pointer' } })}
        pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage, showTotal: (n) => t(`共 ${n} 批`, `${n} batches`) }}
        columns={[
          { title: t('批次号', 'Batch'), dataIndex: 'batchNo', render: (n) => <a>{n}</a> },
          { title: t('产品', 'Product'), dataIndex: 'productName' },
          { title: t('数量 / 库存', 'Quantity / stock'), render: (_, b) => `${b.quantity} / ${b.stock} ${b.unit}` },
          { title: t('状态', 'Status'), dataIndex: 'statusName', render: (s, b) => <Tag color={STATUS_COLORS[b.status]}>{s}</Tag> },
          { title: t('生产日期', 'Date'), dataIndex: 'producedAt', render: (d: string) => new Date(d).toLocaleDateString('zh-CN') },
          { title: t('追溯码', 'Trace code'), dataIndex: 'code', render: (c) => <code>{c}</code> },
          { title: t('主体', 'Producer'), dataIndex: 'subjectName' },
        ]}
      />
      <CreateModal
        open={open === 'batch'} title={t('新建生产批次', 'New production batch')} path="/batches" testId="batch" onClose={() => setOpen(null)}
        transform={(v) => ({ ...v, producedAt: `${v.producedAt}T08:00:00+08:00`, unit: unitOf(v.productId as string) })}
        onDone={(row) => { setOpen(null); message.success(t('批次已创建，已生成追溯码', 'Batch created with its trace code')); navigate(`/trace/batches/${row.id}`); }}
      >
        <Form.Item label={t('产品', 'Product')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="productId" noStyle rules={[{ required: true, message: t('请选择产品', 'Choose a product') }]}>
              <Select data-testid="batch-product" placeholder={t('选择产品', 'Choose a product')} onChange={setProductId} options={products.data?.map((p) => ({ value: p.id, label: p.name }))} />
            </Form.Item>
            <Button onClick={() => setOpen('product')}>{t('新增', 'New')}</Button>
          </Space.Compact>
        </Form.Item>
        <Form.Item label={t('生产基地', 'Base')}>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="baseId" noStyle>
              <Select data-testid="batch-base" allowClear placeholder={t('选择基地', 'Choose a base')} options={bases.data?.map((b) => ({ value: b.id, label: b.name }))} />
            </Form.Item>
            <Button onClick={() => setOpen('base')}>{t('新增', 'New')}</Button>
          </Space.Compact>
        </Form.Item>
        <Form.Item name="quantity" label={`${t('数量', 'Quantity')}${unitOf(productId) ? `（${unitOf(productId)}）` : ''}`} rules={[{ required: true, message: t('请填写数量', 'Enter the quantity') }]}>
          <InputNumber data-testid="batch-quantity" min={0.001} style={{ width: '100%' }} inputMode="decimal" />
        </Form.Item>
        <Form.Item name="producedAt" label={t('采收/生产日期', 'Harvest / production date')} initialValue={today()} rules={[{ required: true }]}><Input type="date" data-testid="batch-date" /></Form.Item>
        <Form.Item name="selfCheck" label={t('自检结果', 'Self-check')} initialValue="pass">
          <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: 'pass', label: t('合格', 'Pass') }, { value: 'untested', label: t('未检', 'Not tested') }, { value: 'fail', label: t('不合格', 'Fail') }]} />
        </Form.Item>
      </CreateModal>
      <CreateModal open={open === 'product'} title={t('新增产品', 'New product')} path="/products" testId="product" onClose={() => setOpen('batch')} onDone={() => { setOpen('batch'); void products.reload(); }}><ProductFields /></CreateModal>
      <CreateModal open={open === 'base'} title={t('新增生产基地', 'New production base')} path="/bases" testId="base" onClose={() => setOpen('batch')} onDone={() => { setOpen('batch'); void bases.reload(); }}><BaseFields /></CreateModal>
    </Card>
  );
}
