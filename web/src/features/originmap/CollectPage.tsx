import { AimOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Grid,
  Input,
  InputNumber,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import * as echarts from 'echarts';
import { useEffect, useRef, useState } from 'react';
import { type ApiBody, http } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { useCatalogRules } from '../../shared/useCatalogRules';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { isQueued, useQueuedMutation, useQueuedNotice } from '../../shared/offline/useQueuedMutation';
import { useApiMutation } from '../../shared/useApiMutation';
import { enumOptions, type OriginRecord, useProducts } from './common';

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
type RecordBody = ApiBody<'post', '/api/v1/origin/records'>;
type PatchBody = ApiBody<'patch', '/api/v1/origin/records/{id}'>;
/** What a change of a record refreshes: the lists, the record, the deadline counts. */
const CHANGED = [
  '/api/v1/origin/records',
  '/api/v1/origin/my-records',
  '/api/v1/origin/records/{id}',
  '/api/v1/origin/deadlines',
] as const;
const date = (s: string | null) => (s ? dayjs(s) : null);

/** The form's values of an existing record (the edit form starts from them). */
function valuesOf(r: OriginRecord) {
  return {
    divisionCode: r.divisionCode,
    subjectName: r.subjectName,
    subjectType: r.subjectType,
    creditCode: r.creditCode,
    baseAddress: r.baseAddress,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
    productCode: r.productCode,
    scale: r.scale,
    productionMethod: r.productionMethod,
    market: r.marketStart || r.marketEnd ? [date(r.marketStart), date(r.marketEnd)] : undefined,
    planting: r.plantedOn || r.harvestOn ? [date(r.plantedOn), date(r.harvestOn)] : undefined,
    traceMethods: r.traceMethods,
    certifications: r.certifications.filter((c) => c !== 'none'),
    creditRating: r.creditRating,
    gridWorkerName: r.gridWorkerName,
    gridWorkerPhone: r.gridWorkerPhone,
    collectorName: r.collectorName,
    collectorPhone: r.collectorPhone,
    longitude: r.longitude,
    latitude: r.latitude,
  };
}

/**
 * One record on site or on the map: the point comes from the phone's GPS (accuracy shown in metres) or from a tap
 * on the county map. "Save draft" keeps an incomplete record; "Submit" needs every field (seed 004 五(四)).
 */
export default function CollectPage() {
  const { t } = useI18n();
  return (
    <Card title={t('现场采集 / 地图标注', 'Collect on site or on the map')}>
      <RecordForm />
    </Card>
  );
}

/**
 * The collection form: a new record, or (`record` given) the same form to edit or correct an existing one — a point
 * imported without coordinates is completed on site here (phone GPS or a tap on the map), a returned record is
 * corrected and sent back, an approved one changed goes back to review.
 */
export function RecordForm({ record, onSaved }: { record?: OriginRecord; onSaved?: () => void }) {
  const { me } = useAuth();
  const { t, lang } = useI18n();
  // Required fields, lengths and code lists come from the information resource catalogue in force (origin_record).
  const cat = useCatalogRules('origin_record');
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const products = useProducts().data;
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>();
  const [gps, setGps] = useState<{ accuracy: number; state: 'idle' | 'locating' | 'ok' | 'error'; message?: string }>({
    accuracy: 0,
    state: 'idle',
  });
  const mapEl = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const county = (me?.scope ?? '').slice(0, 6);
  const lng = Form.useWatch('longitude', form);
  const lat = Form.useWatch('latitude', form);
  const productCode = Form.useWatch('productCode', form);
  const product = products?.products.find((p) => p.code === productCode);
  // A new record goes through the offline queue: taken on the spot (with its GPS fix) without signal, it waits on
  // the device. An edit of an existing record is sent at once.
  const create = useQueuedMutation('/api/v1/origin/records', 'origin', [...CHANGED]);
  const [sending, setSending] = useState(false);
  const queuedNotice = useQueuedNotice();
  const update = useApiMutation('patch', '/api/v1/origin/records/{id}', { invalidate: [...CHANGED] });

  useEffect(() => {
    if (!mapEl.current || county.length < 4) return;
    const code = county.length >= 6 ? county : county.slice(0, 4);
    const c = echarts.init(mapEl.current);
    chart.current = c;
    http.get('/api/v1/origin/boundaries', { params: { query: { code } } }).then((fc) => {
      echarts.registerMap(`collect-${code}`, fc as never);
      c.setOption({
        geo: { map: `collect-${code}`, roam: true, itemStyle: { areaColor: '#f3f6f4', borderColor: '#7a9' } },
        series: [{ type: 'scatter', coordinateSystem: 'geo', symbolSize: 16, data: [] }],
      });
    });
    c.getZr().on('click', (e) => {
      const p = c.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
      if (p) {
        form.setFieldsValue({
          longitude: Number(p[0].toFixed(6)),
          latitude: Number(p[1].toFixed(6)),
          geoSource: 'map',
          gpsAccuracyM: null,
        });
        setGps({ accuracy: 0, state: 'idle' });
      }
    });
    return () => c.dispose();
  }, [county]);
  useEffect(() => {
    if (lng && lat) chart.current?.setOption({ series: [{ data: [[lng, lat]] }] });
  }, [lng, lat]);

  function locate() {
    if (!navigator.geolocation) {
      setGps({
        accuracy: 0,
        state: 'error',
        message: t('此设备不支持定位，请在地图上点选位置', 'This device cannot locate; tap the map instead'),
      });
      return;
    }
    setGps({ accuracy: 0, state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.setFieldsValue({
          longitude: Number(pos.coords.longitude.toFixed(6)),
          latitude: Number(pos.coords.latitude.toFixed(6)),
          geoSource: 'gps',
          gpsAccuracyM: Math.round(pos.coords.accuracy),
        });
        setGps({ accuracy: pos.coords.accuracy, state: 'ok' });
      },
      (err) =>
        setGps({
          accuracy: 0,
          state: 'error',
          message:
            err.code === 1
              ? t(
                  '未允许定位：请在浏览器设置中允许本网站使用位置',
                  'Location was not allowed: allow it in the browser settings',
                )
              : t('定位失败，请到空旷处重试或在地图上点选', 'Could not locate; try in the open or tap the map'),
        }),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 0 },
    );
  }

  async function save(submit: boolean) {
    const v = await form
      .validateFields(
        submit
          ? undefined
          : [
              'divisionCode',
              'subjectName',
              'subjectType',
              'productCode',
              'baseAddress',
              'contactName',
              'contactPhone',
              'scale',
              'productionMethod',
            ],
      )
      .then(() => form.getFieldsValue());
    const body: RecordBody = {
      ...v,
      marketStart: v.market?.[0]?.format('YYYY-MM-DD') ?? null,
      marketEnd: v.market?.[1]?.format('YYYY-MM-DD') ?? null,
      market: undefined,
      plantedOn: v.planting?.[0]?.format('YYYY-MM-DD') ?? null,
      harvestOn: v.planting?.[1]?.format('YYYY-MM-DD') ?? null,
      planting: undefined,
      certification: undefined,
      certifications: v.certifications ?? [],
      geoSource: v.geoSource ?? 'form',
      submit,
    };
    try {
      if (record) {
        // The point is sent only when it changed, so an edit elsewhere keeps its source and accuracy.
        const moved = v.longitude !== record.longitude || v.latitude !== record.latitude;
        const { longitude, latitude, gpsAccuracyM, geoSource: _source, ...rest } = body;
        const patch: PatchBody = moved
          ? { ...rest, longitude, latitude, gpsAccuracyM: gpsAccuracyM ?? null, geoSource: v.geoSource ?? 'form' }
          : rest;
        await update.mutateAsync({ params: { path: { id: record.id } }, body: patch });
        message.success(
          submit || record.status === 'approved'
            ? t('已保存，待县级审核', 'Saved; awaiting county review')
            : t('已保存', 'Saved'),
        );
        setError(undefined);
        onSaved?.();
        return;
      }
      setSending(true);
      const r = await create(body, {
        zh: `产地信息 ${body.subjectName ?? ''}`,
        en: `Origin record ${body.subjectName ?? ''}`,
        link: '/origin/mine',
      }).finally(() => setSending(false));
      if (isQueued(r)) queuedNotice();
      else
        message.success(submit ? t('已提交县级审核', 'Submitted for county review') : t('草稿已保存', 'Draft saved'));
      setError(undefined);
      form.resetFields([
        'subjectName',
        'creditCode',
        'baseAddress',
        'contactName',
        'contactPhone',
        'scale',
        'longitude',
        'latitude',
        'gpsAccuracyM',
      ]);
    } catch (e) {
      setError(e);
      form.setFields(fieldErrors(e, lang) as never);
    }
  }

  const accColor = gps.accuracy <= 30 ? 'green' : gps.accuracy <= 100 ? 'orange' : 'red';
  const req = [{ required: true, message: t('必填', 'Required') }];
  const busy = sending || update.isPending;
  return (
    <>
      <ErrorText error={error} />
      <Form
        form={form}
        layout="vertical"
        size="large"
        data-testid={record ? 'origin-edit-form' : 'collect-form'}
        initialValues={
          record
            ? valuesOf(record)
            : {
                subjectType: 'farmer',
                productionMethod: 'open_field',
                certifications: [],
                creditRating: 'none',
                traceMethods: ['certificate'],
                divisionCode: me && me.scope.length >= 9 ? me.scope : undefined,
                collectorName: me?.displayName,
              }
        }
      >
        <Typography.Title level={5}>{t('1. 位置', '1. Location')}</Typography.Title>
        <Space wrap align="center" style={{ marginBottom: 8 }}>
          <Button
            type="primary"
            icon={<AimOutlined />}
            onClick={locate}
            loading={gps.state === 'locating'}
            data-testid="collect-gps"
          >
            {t('使用手机定位', 'Use my location')}
          </Button>
          {gps.state === 'ok' && (
            <Tag color={accColor} style={{ fontSize: 16, padding: '4px 8px' }} data-testid="collect-accuracy">
              {t(`定位精度约 ${Math.round(gps.accuracy)} 米`, `Accuracy about ${Math.round(gps.accuracy)} m`)}
            </Tag>
          )}
          {gps.state === 'ok' && gps.accuracy > 100 && (
            <Typography.Text type="warning">
              {t('精度较差，建议到空旷处再定位一次', 'Poor accuracy: try again in the open')}
            </Typography.Text>
          )}
        </Space>
        {gps.state === 'error' && <Alert type="warning" showIcon message={gps.message} style={{ marginBottom: 8 }} />}
        {county.length >= 4 && (
          <div
            ref={mapEl}
            style={{ height: screens.md ? 360 : 260, border: '1px solid #eee', borderRadius: 8, marginBottom: 8 }}
            data-testid="collect-map"
          />
        )}
        <Space wrap>
          <Form.Item
            name="longitude"
            label={t('经度', 'Longitude')}
            rules={cat.rules('longitude', [
              { required: true, message: t('请定位或在地图上点选', 'Locate or tap the map') },
            ])}
          >
            <InputNumber style={{ width: 160 }} step={0.0001} />
          </Form.Item>
          <Form.Item
            name="latitude"
            label={t('纬度', 'Latitude')}
            rules={cat.rules('latitude', [
              { required: true, message: t('请定位或在地图上点选', 'Locate or tap the map') },
            ])}
          >
            <InputNumber style={{ width: 160 }} step={0.0001} />
          </Form.Item>
          <Form.Item name="geoSource" hidden>
            <Input />
          </Form.Item>
          <Form.Item name="gpsAccuracyM" hidden>
            <InputNumber />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('2. 主体与基地', '2. Producer and base')}</Typography.Title>
        <Form.Item name="divisionCode" label={t('所在乡镇（街道）', 'Township')} rules={cat.rules('divisionCode', req)}>
          <DivisionPicker
            root={me?.scope}
            rootName={me?.scopeName}
            allowRoot={(me?.scope.length ?? 0) >= 9}
            maxLevel={4}
          />
        </Form.Item>
        <Form.Item
          name="subjectName"
          label={t('种养殖主体名称', 'Producer name')}
          rules={cat.rules('subjectName', req)}
        >
          <Input />
        </Form.Item>
        <Form.Item name="subjectType" label={t('主体类型', 'Producer type')} rules={cat.rules('subjectType', req)}>
          <Select options={cat.options('subjectType', enumOptions(products?.enumerations.subjectTypes, lang))} />
        </Form.Item>
        <Form.Item
          name="creditCode"
          rules={cat.rules('creditCode')}
          label={t('统一社会信用代码（企业、合作社必填）', 'Credit code (enterprises, cooperatives)')}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item name="baseAddress" label={t('基地地址', 'Base address')} rules={cat.rules('baseAddress', req)}>
          <Input />
        </Form.Item>
        <Space wrap>
          <Form.Item name="contactName" label={t('联系人', 'Contact')} rules={cat.rules('contactName', req)}>
            <Input />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('联系电话', 'Phone')}
            rules={cat.rules('contactPhone', [
              ...req,
              { pattern: PHONE, message: t('11 位手机号或座机号', 'Mobile or landline') },
            ])}
          >
            <Input inputMode="tel" />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('3. 品种与规模', '3. Product and scale')}</Typography.Title>
        <Space wrap>
          <Form.Item name="productCode" label={t('品种', 'Product')} rules={cat.rules('productCode', req)}>
            <Select
              style={{ width: 160 }}
              options={cat.options(
                'productCode',
                (products?.products ?? []).map((p) => ({ value: p.code, label: lang === 'en' ? p.nameEn : p.name })),
              )}
            />
          </Form.Item>
          <Form.Item
            name="scale"
            label={t(
              `规模${product ? `（${product.unitName}，不少于 ${product.threshold}）` : ''}`,
              `Scale${product ? ` (${product.unitNameEn}, at least ${product.threshold})` : ''}`,
            )}
            rules={cat.rules('scale', req)}
          >
            <InputNumber min={0} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="productionMethod" label={t('生产方式', 'Method')} rules={cat.rules('productionMethod', req)}>
            <Select
              style={{ width: 120 }}
              options={cat.options('productionMethod', enumOptions(products?.enumerations.productionMethods, lang))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="market" label={t('上下市时间', 'On the market')} rules={req}>
          <DatePicker.RangePicker />
        </Form.Item>
        {product?.industry === 'planting' && (
          <Form.Item
            name="planting"
            label={t('本茬定植—采收时间（每茬采集）', 'This planting: planted – harvest (collected per planting)')}
          >
            <DatePicker.RangePicker data-testid="origin-planting" />
          </Form.Item>
        )}
        <Form.Item
          name="traceMethods"
          label={t('追溯方式（可多选）', 'Traceability (several)')}
          rules={cat.rules('traceMethods', req)}
        >
          <Checkbox.Group
            options={cat.options('traceMethods', enumOptions(products?.enumerations.traceMethods, lang))}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="certifications" label={t('认证类型（可多选）', 'Certifications (several)')}>
            <Select
              mode="multiple"
              allowClear
              style={{ minWidth: 160, maxWidth: 300 }}
              placeholder={t('无', 'None')}
              options={enumOptions(
                products?.enumerations.certifications.filter((c) => c.code !== 'none'),
                lang,
              )}
            />
          </Form.Item>
          <Form.Item name="creditRating" rules={cat.rules('creditRating')} label={t('信用等级', 'Credit rating')}>
            <Select
              style={{ width: 120 }}
              options={cat.options('creditRating', enumOptions(products?.enumerations.creditRatings, lang))}
            />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('4. 网格员与采集员', '4. Grid worker and collector')}</Typography.Title>
        <Space wrap>
          <Form.Item
            name="gridWorkerName"
            label={t('网格员姓名', 'Grid worker')}
            rules={cat.rules('gridWorkerName', req)}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="gridWorkerPhone"
            label={t('网格员电话', 'Grid worker phone')}
            rules={cat.rules('gridWorkerPhone', [
              ...req,
              { pattern: PHONE, message: t('11 位手机号或座机号', 'Mobile or landline') },
            ])}
          >
            <Input inputMode="tel" />
          </Form.Item>
          <Form.Item name="collectorName" label={t('采集员姓名', 'Collector')} rules={cat.rules('collectorName', req)}>
            <Input />
          </Form.Item>
          <Form.Item
            name="collectorPhone"
            label={t('采集员电话', 'Collector phone')}
            rules={cat.rules('collectorPhone', [
              ...req,
              { pattern: PHONE, message: t('11 位手机号或座机号', 'Mobile or landline') },
            ])}
          >
            <Input inputMode="tel" />
          </Form.Item>
        </Space>
        {record ? (
          <Space wrap>
            {record.status !== 'approved' && record.status !== 'submitted' && (
              <Button
                type="primary"
                size="large"
                loading={busy}
                onClick={() => save(true)}
                data-testid="origin-edit-submit"
              >
                {t('保存并提交审核', 'Save and submit for review')}
              </Button>
            )}
            <Button size="large" loading={busy} onClick={() => save(false)} data-testid="origin-edit-save">
              {record.status === 'approved' ? t('保存（重新审核）', 'Save (back to review)') : t('保存', 'Save')}
            </Button>
          </Space>
        ) : (
          <Space wrap>
            <Button type="primary" size="large" loading={busy} onClick={() => save(true)} data-testid="collect-submit">
              {t('提交审核', 'Submit for review')}
            </Button>
            <Button size="large" loading={busy} onClick={() => save(false)} data-testid="collect-draft">
              {t('保存草稿', 'Save draft')}
            </Button>
          </Space>
        )}
      </Form>
    </>
  );
}
