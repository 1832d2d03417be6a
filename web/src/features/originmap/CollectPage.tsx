import { AimOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Grid, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import * as echarts from 'echarts';
import { useEffect, useRef, useState } from 'react';
import { get, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { enumOptions, useProducts } from './common';

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/**
 * One record on site or on the map: the point comes from the phone's GPS (accuracy shown in metres) or from a tap
 * on the county map. "Save draft" keeps an incomplete record; "Submit" needs every field (seed 004 五(四)).
 */
export default function CollectPage() {
  const { me } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const products = useProducts().data;
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>();
  const [gps, setGps] = useState<{ accuracy: number; state: 'idle' | 'locating' | 'ok' | 'error'; message?: string }>({ accuracy: 0, state: 'idle' });
  const mapEl = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const county = (me?.scope ?? '').slice(0, 6);
  const lng = Form.useWatch('longitude', form);
  const lat = Form.useWatch('latitude', form);
  const productCode = Form.useWatch('productCode', form);
  const product = products?.products.find((p) => p.code === productCode);

  useEffect(() => {
    if (!mapEl.current || county.length < 4) return;
    const code = county.length >= 6 ? county : county.slice(0, 4);
    const c = echarts.init(mapEl.current);
    chart.current = c;
    get<{ features: { properties: { code: string } }[] }>('/origin/boundaries', { code }).then((fc) => {
      echarts.registerMap(`collect-${code}`, fc as never);
      c.setOption({ geo: { map: `collect-${code}`, roam: true, itemStyle: { areaColor: '#f3f6f4', borderColor: '#7a9' } }, series: [{ type: 'scatter', coordinateSystem: 'geo', symbolSize: 16, data: [] }] });
    });
    c.getZr().on('click', (e) => {
      const p = c.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
      if (p) {
        form.setFieldsValue({ longitude: Number(p[0].toFixed(6)), latitude: Number(p[1].toFixed(6)), geoSource: 'map', gpsAccuracyM: null });
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
      setGps({ accuracy: 0, state: 'error', message: t('此设备不支持定位，请在地图上点选位置', 'This device cannot locate; tap the map instead') });
      return;
    }
    setGps({ accuracy: 0, state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.setFieldsValue({ longitude: Number(pos.coords.longitude.toFixed(6)), latitude: Number(pos.coords.latitude.toFixed(6)), geoSource: 'gps', gpsAccuracyM: Math.round(pos.coords.accuracy) });
        setGps({ accuracy: pos.coords.accuracy, state: 'ok' });
      },
      (err) => setGps({ accuracy: 0, state: 'error', message: err.code === 1 ? t('未允许定位：请在浏览器设置中允许本网站使用位置', 'Location was not allowed: allow it in the browser settings') : t('定位失败，请到空旷处重试或在地图上点选', 'Could not locate; try in the open or tap the map') }),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 0 },
    );
  }

  async function save(submit: boolean) {
    const v = await form.validateFields(submit ? undefined : ['divisionCode', 'subjectName', 'subjectType', 'productCode', 'baseAddress', 'contactName', 'contactPhone', 'scale', 'productionMethod']).then(() => form.getFieldsValue());
    const body = {
      ...v,
      marketStart: v.market?.[0]?.format('YYYY-MM-DD') ?? null,
      marketEnd: v.market?.[1]?.format('YYYY-MM-DD') ?? null,
      market: undefined,
      geoSource: v.geoSource ?? 'form',
      submit,
    };
    try {
      await post('/origin/records', body);
      message.success(submit ? t('已提交县级审核', 'Submitted for county review') : t('草稿已保存', 'Draft saved'));
      setError(undefined);
      form.resetFields(['subjectName', 'creditCode', 'baseAddress', 'contactName', 'contactPhone', 'scale', 'longitude', 'latitude', 'gpsAccuracyM']);
    } catch (e) {
      setError(e);
      form.setFields(fieldErrors(e, lang) as never);
    }
  }

  const accColor = gps.accuracy <= 30 ? 'green' : gps.accuracy <= 100 ? 'orange' : 'red';
  const req = [{ required: true, message: t('必填', 'Required') }];
  return (
    <Card title={t('现场采集 / 地图标注', 'Collect on site or on the map')}>
      <ErrorText error={error} />
      <Form form={form} layout="vertical" size="large" initialValues={{ subjectType: 'farmer', productionMethod: 'open_field', certification: 'none', creditRating: 'none', traceMethods: ['certificate'], divisionCode: me && me.scope.length >= 9 ? me.scope : undefined, collectorName: me?.displayName }}>
        <Typography.Title level={5}>{t('1. 位置', '1. Location')}</Typography.Title>
        <Space wrap align="center" style={{ marginBottom: 8 }}>
          <Button type="primary" icon={<AimOutlined />} onClick={locate} loading={gps.state === 'locating'} data-testid="collect-gps">{t('使用手机定位', 'Use my location')}</Button>
          {gps.state === 'ok' && <Tag color={accColor} style={{ fontSize: 16, padding: '4px 8px' }} data-testid="collect-accuracy">{t(`定位精度约 ${Math.round(gps.accuracy)} 米`, `Accuracy about ${Math.round(gps.accuracy)} m`)}</Tag>}
          {gps.state === 'ok' && gps.accuracy > 100 && <Typography.Text type="warning">{t('精度较差，建议到空旷处再定位一次', 'Poor accuracy: try again in the open')}</Typography.Text>}
        </Space>
        {gps.state === 'error' && <Alert type="warning" showIcon message={gps.message} style={{ marginBottom: 8 }} />}
        {county.length >= 4 && <div ref={mapEl} style={{ height: screens.md ? 360 : 260, border: '1px solid #eee', borderRadius: 8, marginBottom: 8 }} data-testid="collect-map" />}
        <Space wrap>
          <Form.Item name="longitude" label={t('经度', 'Longitude')} rules={[{ required: true, message: t('请定位或在地图上点选', 'Locate or tap the map') }]}><InputNumber style={{ width: 160 }} step={0.0001} /></Form.Item>
          <Form.Item name="latitude" label={t('纬度', 'Latitude')} rules={[{ required: true, message: t('请定位或在地图上点选', 'Locate or tap the map') }]}><InputNumber style={{ width: 160 }} step={0.0001} /></Form.Item>
          <Form.Item name="geoSource" hidden><Input /></Form.Item>
          <Form.Item name="gpsAccuracyM" hidden><InputNumber /></Form.Item>
        </Space>
        <Typography.Title level={5}>{t('2. 主体与基地', '2. Producer and base')}</Typography.Title>
        <Form.Item name="divisionCode" label={t('所在乡镇（街道）', 'Township')} rules={req}><DivisionPicker root={me?.scope} rootName={me?.scopeName} allowRoot={(me?.scope.length ?? 0) >= 9} maxLevel={4} /></Form.Item>
        <Form.Item name="subjectName" label={t('种养殖主体名称', 'Producer name')} rules={req}><Input /></Form.Item>
        <Form.Item name="subjectType" label={t('主体类型', 'Producer type')} rules={req}><Select options={enumOptions(products?.enumerations.subjectTypes, lang)} /></Form.Item>
        <Form.Item name="creditCode" label={t('统一社会信用代码（企业、合作社必填）', 'Credit code (enterprises, cooperatives)')}><Input maxLength={18} /></Form.Item>
        <Form.Item name="baseAddress" label={t('基地地址', 'Base address')} rules={req}><Input /></Form.Item>
        <Space wrap>
          <Form.Item name="contactName" label={t('联系人', 'Contact')} rules={req}><Input /></Form.Item>
          <Form.Item name="contactPhone" label={t('联系电话', 'Phone')} rules={[...req, { pattern: PHONE, message: t('11 位手机号或座机号', 'Mobile or landline') }]}><Input inputMode="tel" /></Form.Item>
        </Space>
        <Typography.Title level={5}>{t('3. 品种与规模', '3. Product and scale')}</Typography.Title>
        <Space wrap>
          <Form.Item name="productCode" label={t('品种', 'Product')} rules={req}><Select style={{ width: 160 }} options={products?.products.map((p) => ({ value: p.code, label: lang === 'en' ? p.nameEn : p.name }))} /></Form.Item>
          <Form.Item name="scale" label={t(`规模${product ? `（${product.unitName}，不少于 ${product.threshold}）` : ''}`, `Scale${product ? ` (${product.unit}, at least ${product.threshold})` : ''}`)} rules={req}><InputNumber min={0} style={{ width: 200 }} /></Form.Item>
          <Form.Item name="productionMethod" label={t('生产方式', 'Method')} rules={req}><Select style={{ width: 120 }} options={enumOptions(products?.enumerations.productionMethods, lang)} /></Form.Item>
        </Space>
        <Form.Item name="market" label={t('上下市时间', 'On the market')} rules={req}><DatePicker.RangePicker /></Form.Item>
        <Form.Item name="traceMethods" label={t('追溯方式（可多选）', 'Traceability (several)')} rules={req}><Checkbox.Group options={enumOptions(products?.enumerations.traceMethods, lang)} /></Form.Item>
        <Space wrap>
          <Form.Item name="certification" label={t('认证类型', 'Certification')}><Select style={{ width: 160 }} options={enumOptions(products?.enumerations.certifications, lang)} /></Form.Item>
          <Form.Item name="creditRating" label={t('信用等级', 'Credit rating')}><Select style={{ width: 120 }} options={enumOptions(products?.enumerations.creditRatings, lang)} /></Form.Item>
        </Space>
        <Typography.Title level={5}>{t('4. 网格员与采集员', '4. Grid worker and collector')}</Typography.Title>
        <Space wrap>
          <Form.Item name="gridWorkerName" label={t('网格员姓名', 'Grid worker')} rules={req}><Input /></Form.Item>
          <Form.Item name="gridWorkerPhone" label={t('网格员电话', 'Grid worker phone')} rules={[...req, { pattern: PHONE, message: t('11 位手机号或座机号', 'Mobile or landline') }]}><Input inputMode="tel" /></Form.Item>
          <Form.Item name="collectorName" label={t('采集员姓名', 'Collector')} rules={req}><Input /></Form.Item>
          <Form.Item name="collectorPhone" label={t('采集员电话', 'Collector phone')} rules={[...req, { pattern: PHONE, message: t('11 位手机号或座机号', 'Mobile or landline') }]}><Input inputMode="tel" /></Form.Item>
        </Space>
        <Space wrap>
          <Button type="primary" size="large" onClick={() => save(true)} data-testid="collect-submit">{t('提交审核', 'Submit for review')}</Button>
          <Button size="large" onClick={() => save(false)} data-testid="collect-draft">{t('保存草稿', 'Save draft')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
