import { App, Button, Card, Col, Form, Input, InputNumber, Modal, Radio, Row, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ApiBody, ApiData } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { useCatalogRules } from '../../shared/useCatalogRules';
import { MediaUpload } from '../../shared/ui/MediaUpload';
import { Attachments } from '../../shared/ui/Attachments';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { EnteredByTag } from '../../shared/ui/EnteredBy';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { isQueued, useQueuedMutation } from '../../shared/offline/useQueuedMutation';
import { useApiQuery } from '../../shared/useApiQuery';

type Product = ApiData<'get', '/api/v1/products'>[number];
type Base = ApiData<'get', '/api/v1/bases'>[number];
type ProductInput = ApiBody<'post', '/api/v1/products'>;
type KeyProduct = NonNullable<ProductInput['keyProduct']>;

const INDUSTRIES = [
  ['planting', '种植业', 'Planting'],
  ['livestock', '畜牧业', 'Livestock'],
  ['fishery', '渔业', 'Fishery'],
] as const satisfies readonly (readonly [ProductInput['industry'], string, string])[];
/** The 12 key products, in the order offered; the object is checked against the server's enum (none missing, none extra). */
const KEY_PRODUCTS = Object.keys({
  豇豆: 1,
  韭菜: 1,
  芹菜: 1,
  鸡蛋: 1,
  乌鸡: 1,
  肉牛: 1,
  肉羊: 1,
  大口黑鲈: 1,
  乌鳢: 1,
  鳊鱼: 1,
  大黄鱼: 1,
  生猪: 1,
} satisfies Record<KeyProduct, 1>) as KeyProduct[];
const METHODS = [
  ['open_field', '露地', 'Open field'],
  ['facility', '设施', 'Facility'],
] as const satisfies readonly (readonly [NonNullable<ApiBody<'post', '/api/v1/bases'>['method']>, string, string])[];

/** The routes a CreateModal posts to. */
type CreatePath = '/api/v1/products' | '/api/v1/bases' | '/api/v1/batches';

/** A form in a modal that posts to `path` and maps field problems onto the form. */
export function CreateModal<P extends CreatePath>(props: {
  open: boolean;
  title: string;
  path: P;
  onClose: () => void;
  onDone: (row: ApiData<'post', P>) => void;
  children: React.ReactNode;
  testId: string;
  transform?: (v: Record<string, unknown>) => ApiBody<'post', P>;
  /** Send through the offline queue (field forms): without signal the record waits on the device; `onQueued` then. */
  queue?: { kind: string; title: (body: ApiBody<'post', P>) => { zh: string; en: string }; onQueued: () => void };
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>();
  const create = useApiMutation('post', props.path as CreatePath, { invalidate: [props.path] });
  const queued = useQueuedMutation(props.path as CreatePath, props.queue?.kind ?? '', [props.path]);
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={t('保存', 'Save')}
      okButtonProps={{ size: 'large', 'data-testid': `${props.testId}-submit` } as never}
      cancelButtonProps={{ size: 'large' }}
      onCancel={() => {
        setError(undefined);
        props.onClose();
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <ErrorText error={error} />
      <Form
        form={form}
        layout="vertical"
        size="large"
        preserve={false}
        onFinish={async (v) => {
          try {
            const body = (props.transform ? props.transform(v) : v) as ApiBody<'post', P>;
            const row = props.queue
              ? await queued(body as never, props.queue.title(body))
              : await create.mutateAsync({ body } as never);
            setError(undefined);
            if (isQueued(row)) props.queue?.onQueued();
            else props.onDone(row as ApiData<'post', P>);
          } catch (e) {
            setError(e);
            form.setFields(fieldErrors(e, lang));
          }
        }}
      >
        {props.children}
      </Form>
    </Modal>
  );
}

export function ProductFields() {
  const { t } = useI18n();
  // Required fields, lengths and code lists come from the information resource catalogue in force.
  const cat = useCatalogRules('product');
  return (
    <>
      <Form.Item name="name" label={t('产品名称', 'Product name')} rules={cat.rules('name', [{ required: true }])}>
        <Input data-testid="product-name" placeholder={t('如：豇豆', 'e.g. cowpea')} />
      </Form.Item>
      <Form.Item name="industry" label={t('行业', 'Industry')} initialValue="planting" rules={cat.rules('industry')}>
        <Radio.Group
          optionType="button"
          options={cat.options(
            'industry',
            INDUSTRIES.map(([v, zh, en]) => ({ value: v, label: t(zh, en) })),
          )}
        />
      </Form.Item>
      <Form.Item name="unit" label={t('计量单位', 'Unit')} initialValue="kg" rules={cat.rules('unit')}>
        <Select
          options={['kg', '斤', 't', '头', '只', '羽', '尾', '枚', '箱', '袋'].map((u) => ({ value: u, label: u }))}
        />
      </Form.Item>
      <Form.Item
        name="keyProduct"
        label={
          cat.required('keyProduct') ? t('重点品种', 'Key product') : t('重点品种（可不选）', 'Key product (optional)')
        }
        rules={cat.rules('keyProduct')}
      >
        <Select
          allowClear
          options={cat.options(
            'keyProduct',
            KEY_PRODUCTS.map((p) => ({ value: p, label: p })),
          )}
        />
      </Form.Item>
    </>
  );
}

export function BaseFields() {
  const { t } = useI18n();
  const cat = useCatalogRules('base');
  const { me } = useAuth();
  return (
    <>
      <Form.Item name="name" label={t('基地名称', 'Base name')} rules={cat.rules('name', [{ required: true }])}>
        <Input data-testid="base-name" placeholder={t('如：一号大棚', 'e.g. Greenhouse 1')} />
      </Form.Item>
      <Form.Item
        name="divisionCode"
        label={t('所在乡镇或村', 'Township or village')}
        rules={cat.rules('divisionCode', [{ required: true }])}
        extra={t('须选到乡镇或村', 'Choose down to township or village')}
      >
        <DivisionPicker
          root={me?.scope && me.scope.length >= 6 ? me.scope.slice(0, 6) : me?.scope}
          rootName={me?.scopeName}
          allowRoot={false}
          maxLevel={5}
        />
      </Form.Item>
      <Form.Item name="address" label={t('详细地址', 'Address')} rules={cat.rules('address')}>
        <Input data-testid="base-address" placeholder={t('如：石南村东片', 'e.g. east of the village')} />
      </Form.Item>
      <Form.Item
        name="photos"
        label={
          cat.required('photos')
            ? t('基地照片和短视频', 'Photos and short videos')
            : t('基地照片和短视频（可选）', 'Photos and short videos (optional)')
        }
        rules={cat.rules('photos')}
      >
        <MediaUpload testId="base-media" />
      </Form.Item>
      <Row gutter={8}>
        <Col span={12}>
          <Form.Item name="area" label={t('面积（亩）', 'Area (mu)')} rules={cat.rules('area')}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="method" label={t('生产方式', 'Method')} rules={cat.rules('method')}>
            <Select
              allowClear
              options={cat.options(
                'method',
                METHODS.map(([v, zh, en]) => ({ value: v, label: t(zh, en) })),
              )}
            />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/** Products and production bases of the producer (regulators see those of their jurisdiction). */
export default function CatalogPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const products = useApiQuery('/api/v1/products', { params: { query: { pageSize: 200 } } });
  const bases = useApiQuery('/api/v1/bases', { params: { query: { pageSize: 200 } } });
  const [open, setOpen] = useState<'product' | 'base' | null>(null);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card
          title={t('产品', 'Products')}
          extra={
            can('product.manage') && (
              <Button type="primary" size="large" data-testid="product-new" onClick={() => setOpen('product')}>
                {t('新增产品', 'New product')}
              </Button>
            )
          }
        >
          <ErrorText error={products.error} />
          <Table<Product>
            rowKey="id"
            size="middle"
            loading={products.isFetching}
            dataSource={products.data}
            pagination={false}
            columns={[
              {
                title: t('名称', 'Name'),
                dataIndex: 'name',
                render: (n, p) => (
                  <>
                    {n} {p.keyProduct && <Tag color="orange">{t('重点', 'Key')}</Tag>} <EnteredByTag by={p.enteredBy} />
                  </>
                ),
              },
              { title: t('单位', 'Unit'), dataIndex: 'unit' },
              {
                title: t('认证', 'Certifications'),
                render: (_, p) =>
                  p.certifications.map((c) => (
                    <Tag key={c.number} color="green">
                      {lang === 'en' ? c.typeNameEn : c.typeName}
                    </Tag>
                  )),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card
          title={t('生产基地', 'Production bases')}
          extra={
            can('product.manage') && (
              <Button type="primary" size="large" data-testid="base-new" onClick={() => setOpen('base')}>
                {t('新增基地', 'New base')}
              </Button>
            )
          }
        >
          <ErrorText error={bases.error} />
          <Table<Base>
            rowKey="id"
            size="middle"
            loading={bases.isFetching}
            dataSource={bases.data}
            pagination={false}
            columns={[
              {
                title: t('名称', 'Name'),
                dataIndex: 'name',
                render: (n, b) => (
                  <>
                    {n} <EnteredByTag by={b.enteredBy} />
                    {b.media.length > 0 && (
                      <div data-testid="base-media-list" style={{ marginTop: 4 }}>
                        <Attachments files={b.media} height={40} />
                      </div>
                    )}
                  </>
                ),
              },
              { title: t('所在地', 'Location'), dataIndex: 'divisionName' },
              { title: t('面积', 'Area'), render: (_, b) => (b.area ? `${b.area} ${t('亩', 'mu')}` : '—') },
            ]}
          />
        </Card>
      </Col>
      <CreateModal
        open={open === 'product'}
        title={t('新增产品', 'New product')}
        path="/api/v1/products"
        testId="product"
        onClose={() => setOpen(null)}
        onDone={() => {
          setOpen(null);
          message.success(t('产品已保存', 'Product saved'));
        }}
      >
        <ProductFields />
      </CreateModal>
      <CreateModal
        open={open === 'base'}
        title={t('新增生产基地', 'New production base')}
        path="/api/v1/bases"
        testId="base"
        onClose={() => setOpen(null)}
        onDone={() => {
          setOpen(null);
          message.success(t('基地已保存', 'Base saved'));
        }}
      >
        <BaseFields />
      </CreateModal>
    </Row>
  );
}
