import { App, Button, Card, Col, Form, Input, InputNumber, Modal, Radio, Row, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { get, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import type { Base, Product } from './api';

const INDUSTRIES = [['planting', '种植业', 'Planting'], ['livestock', '畜牧业', 'Livestock'], ['fishery', '渔业', 'Fishery']] as const;
const KEY_PRODUCTS = ['豇豆', '韭菜', '芹菜', '鸡蛋', '乌鸡', '肉牛', '肉羊', '大口黑鲈', '乌鳢', '鳊鱼', '大黄鱼', '生猪'];

/** A form in a modal that posts to `path` and maps field problems onto the form. */
export function CreateModal(props: { open: boolean; title: string; path: string; onClose: () => void; onDone: (row: { id: string }) => void; children: React.ReactNode; testId: string; transform?: (v: Record<string, unknown>) => unknown }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>();
  return (
    <Modal open={props.open} title={props.title} okText={t('保存', 'Save')} okButtonProps={{ size: 'large', 'data-testid': `${props.testId}-submit` } as never} cancelButtonProps={{ size: 'large' }} onCancel={() => { setError(undefined); props.onClose(); }} onOk={() => form.submit()} destroyOnHidden>
      <ErrorText error={error} />
      <Form form={form} layout="vertical" size="large" preserve={false} onFinish={async (v) => {
        try {
          const row = await post<{ id: string }>(props.path, props.transform ? props.transform(v) : v);
          setError(undefined);
          props.onDone(row);
        } catch (e) {
          setError(e);
          form.setFields(fieldErrors(e, lang));
        }
      }}>{props.children}</Form>
    </Modal>
  );
}

export function ProductFields() {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="name" label={t('产品名称', 'Product name')} rules={[{ required: true }]}><Input data-testid="product-name" placeholder={t('如：豇豆', 'e.g. cowpea')} /></Form.Item>
      <Form.Item name="industry" label={t('行业', 'Industry')} initialValue="planting"><Radio.Group optionType="button" options={INDUSTRIES.map(([v, zh, en]) => ({ value: v, label: t(zh, en) }))} /></Form.Item>
      <Form.Item name="unit" label={t('计量单位', 'Unit')} initialValue="kg"><Select options={['kg', '斤', 't', '头', '只', '羽', '尾', '枚', '箱', '袋'].map((u) => ({ value: u, label: u }))} /></Form.Item>
      <Form.Item name="keyProduct" label={t('重点品种（可不选）', 'Key product (optional)')}><Select allowClear options={KEY_PRODUCTS.map((p) => ({ value: p, label: p }))} /></Form.Item>
    </>
  );
}

export function BaseFields() {
  const { t } = useI18n();
  const { me } = useAuth();
  return (
    <>
      <Form.Item name="name" label={t('基地名称', 'Base name')} rules={[{ required: true }]}><Input data-testid="base-name" placeholder={t('如：一号大棚', 'e.g. Greenhouse 1')} /></Form.Item>
      <Form.Item name="divisionCode" label={t('所在乡镇或村', 'Township or village')} rules={[{ required: true }]} extra={t('须选到乡镇或村', 'Choose down to township or village')}>
        <DivisionPicker root={me?.scope && me.scope.length >= 6 ? me.scope.slice(0, 6) : me?.scope} rootName={me?.scopeName} allowRoot={false} maxLevel={5} />
      </Form.Item>
      <Row gutter={8}>
        <Col span={12}><Form.Item name="area" label={t('面积（亩）', 'Area (mu)')}><InputNumber min={0} style={{ width: '100%' }} /></Form.Item></Col>
        <Col span={12}><Form.Item name="method" label={t('生产方式', 'Method')}><Select allowClear options={[{ value: 'open_field', label: t('露地', 'Open field') }, { value: 'facility', label: t('设施', 'Facility') }]} /></Form.Item></Col>
      </Row>
    </>
  );
}

/** Products and production bases of the producer (regulators see those of their jurisdiction). */
export default function CatalogPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const products = useRequest(() => get<Product[]>('/products', { pageSize: 200 }), []);
  const bases = useRequest(() => get<Base[]>('/bases', { pageSize: 200 }), []);
  const [open, setOpen] = useState<'product' | 'base' | null>(null);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card title={t('产品', 'Products')} extra={can('product.manage') && <Button type="primary" size="large" data-testid="product-new" onClick={() => setOpen('product')}>{t('新增产品', 'New product')}</Button>}>
          <ErrorText error={products.error} />
          <Table<Product> rowKey="id" size="middle" loading={products.loading} dataSource={products.data} pagination={false} columns={[
            { title: t('名称', 'Name'), dataIndex: 'name', render: (n, p) => <>{n} {p.keyProduct && <Tag color="orange">{t('重点', 'Key')}</Tag>}</> },
            { title: t('单位', 'Unit'), dataIndex: 'unit' },
            { title: t('认证', 'Certifications'), render: (_, p) => p.certifications.map((c) => <Tag key={c.number} color="green">{c.typeName}</Tag>) },
          ]} />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('生产基地', 'Production bases')} extra={can('product.manage') && <Button type="primary" size="large" data-testid="base-new" onClick={() => setOpen('base')}>{t('新增基地', 'New base')}</Button>}>
          <ErrorText error={bases.error} />
          <Table<Base> rowKey="id" size="middle" loading={bases.loading} dataSource={bases.data} pagination={false} columns={[
            { title: t('名称', 'Name'), dataIndex: 'name' },
            { title: t('所在地', 'Location'), dataIndex: 'divisionName' },
            { title: t('面积', 'Area'), render: (_, b) => (b.area ? `${b.area} ${t('亩', 'mu')}` : '—') },
          ]} />
        </Card>
      </Col>
      <CreateModal open={open === 'product'} title={t('新增产品', 'New product')} path="/products" testId="product" onClose={() => setOpen(null)} onDone={() => { setOpen(null); message.success(t('产品已保存', 'Product saved')); void products.reload(); }}><ProductFields /></CreateModal>
      <CreateModal open={open === 'base'} title={t('新增生产基地', 'New production base')} path="/bases" testId="base" onClose={() => setOpen(null)} onDone={() => { setOpen(null); message.success(t('基地已保存', 'Base saved')); void bases.reload(); }}><BaseFields /></CreateModal>
    </Row>
  );
}
