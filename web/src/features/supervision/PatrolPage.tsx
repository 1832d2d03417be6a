import { CameraOutlined, CheckCircleOutlined, EnvironmentOutlined, ScanOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { get, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { GRADE_COLORS, type Patrol, STATUS_COLORS, type ScanResult, shrinkImage, uploadImage } from './api';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad';

type Gps = { longitude: number; latitude: number; accuracyM: number } | null;
const big = { fontSize: 18 };

/**
 * 扫码巡查 On a phone: scan (or type) the producer's identity code → the producer card → start → checklist,
 * result, photos, the responsible person's signature, GPS → submit. Large controls, plain Chinese.
 */
export default function PatrolPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const [scan, setScan] = useState<ScanResult | null>(null);
  const [target, setTarget] = useState<'base' | 'subject' | 'input_dealer'>('base');
  const [patrol, setPatrol] = useState<Patrol | null>(null);
  const [done, setDone] = useState<Patrol | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [gps, setGps] = useState<Gps>(null);
  const [photos, setPhotos] = useState<{ id: string; url: string }[]>([]);
  const sig = useRef<SignaturePadHandle>(null);
  const [form] = Form.useForm();
  const result = Form.useWatch('result', form);

  useEffect(() => {
    navigator.geolocation?.getCurrentPosition(
      (p) => setGps({ longitude: p.coords.longitude, latitude: p.coords.latitude, accuracyM: Math.round(p.coords.accuracy) }),
      () => setGps(null),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }, []);

  const lookup = async () => {
    setError(undefined);
    setBusy(true);
    try {
      setScan(await get<ScanResult>('/patrols/scan', { code }));
    } catch (e) {
      setError(e);
      setScan(null);
    } finally {
      setBusy(false);
    }
  };
  /** Decodes a QR code from a photo with the browser's BarcodeDetector (Chrome on Android; no extra library). */
  const decodePhoto = async (file?: File) => {
    if (!file) return;
    const Detector = (window as unknown as { BarcodeDetector?: new (o: { formats: string[] }) => { detect(i: ImageBitmap): Promise<{ rawValue: string }[]> } }).BarcodeDetector;
    if (!Detector) {
      message.warning(t('此浏览器不能识别二维码，请输入码号', 'This browser cannot read QR codes; type the code'));
      return;
    }
    try {
      const found = await new Detector({ formats: ['qr_code'] }).detect(await createImageBitmap(file));
      if (!found.length) throw new Error();
      setCode(found[0].rawValue);
      setScan(await get<ScanResult>('/patrols/scan', { code: found[0].rawValue }));
    } catch (e) {
      if (e instanceof Error && e.message) setError(e);
      else message.warning(t('照片里没有识别到二维码，请靠近重拍或输入码号', 'No QR code found; retake closer or type the code'));
    }
  };
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const p = await post<Patrol>('/patrols', { identityCode: code, target, taskId: scan?.openTasks[0]?.id, ...(gps ?? {}) });
      setPatrol(p);
      form.setFieldsValue({ result: 'pass', ...Object.fromEntries(p.templateItems.map((i) => [`item_${i.code}`, true])) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const addPhoto = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    try {
      for (const f of Array.from(files)) {
        const blob = await shrinkImage(f);
        const id = await uploadImage(blob, f.name || 'photo.jpg');
        setPhotos((ps) => [...ps, { id, url: URL.createObjectURL(blob) }]);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = async (v: Record<string, unknown>) => {
    if (!patrol) return;
    setBusy(true);
    setError(undefined);
    try {
      const png = await sig.current?.toPng();
      if (!png) throw new Error(t('请让负责人在签名框内签名', 'The responsible person must sign first'));
      const signatureFileId = await uploadImage(png, 'signature.png');
      const checklist = patrol.templateItems.map((i) => ({ code: i.code, ok: v[`item_${i.code}`] !== false, note: (v[`note_${i.code}`] as string) || null }));
      const res = await post<Patrol>(`/patrols/${patrol.id}/submit`, {
        result: v.result, checklist, findings: v.findings || null, photoIds: photos.map((p) => p.id), signatureFileId, signerName: v.signerName,
        rectifyDeadline: v.result === 'rectify' ? v.rectifyDeadline : null, ...(gps ?? {}),
      });
      setDone(res);
      setPatrol(null);
      message.success(t('巡查结果已提交', 'Patrol submitted'));
    } catch (e) {
      setError(e);
      form.setFields(fieldErrors(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const reset = () => {
    setScan(null);
    setPatrol(null);
    setDone(null);
    setPhotos([]);
    setCode('');
    form.resetFields();
  };

  const gpsTag = gps ? (
    <Tag icon={<EnvironmentOutlined />} color={gps.accuracyM <= 20 ? 'green' : gps.accuracyM <= 100 ? 'orange' : 'red'}>{t(`定位精度 ${gps.accuracyM} 米`, `GPS ±${gps.accuracyM} m`)}</Tag>
  ) : <Tag icon={<EnvironmentOutlined />}>{t('未获取定位', 'No GPS fix')}</Tag>;

  if (done) {
    return (
      <Card title={t('巡查完成', 'Patrol done')} data-testid="patrol-done">
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Typography.Title level={4}><CheckCircleOutlined /> {done.subjectName}</Typography.Title>
          <div style={big}>{t('结果', 'Result')}：<Tag color={STATUS_COLORS[done.status]} data-testid="patrol-status" style={big}>{lang === 'en' ? done.statusEn : done.statusZh}</Tag></div>
          {done.rectifyDeadline && <div style={big}>{t('整改期限', 'Deadline')}：{done.rectifyDeadline}</div>}
          <Button type="primary" size="large" block icon={<ScanOutlined />} onClick={reset}>{t('继续扫码巡查', 'Scan the next one')}</Button>
        </Space>
      </Card>
    );
  }

  return (
    <Card title={<Space><ScanOutlined />{t('扫码巡查', 'Patrol by scanning')}</Space>} extra={gpsTag}>
      <ErrorText error={error} />
      {!patrol && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Typography.Text style={big}>{t('扫描主体身份码（或输入码号）', 'Scan the producer identity code (or type it)')}</Typography.Text>
          <Space.Compact style={{ width: '100%' }}>
            <Input size="large" data-testid="scan-input" value={code} onChange={(e) => setCode(e.target.value)} onPressEnter={lookup} placeholder={t('例如 HC91440117…', 'e.g. HC91440117…')} style={big} />
            <Button size="large" type="primary" data-testid="scan-submit" loading={busy} onClick={lookup} disabled={!code.trim()}>{t('查询', 'Look up')}</Button>
          </Space.Compact>
          <label style={{ display: 'block' }}>
            <Button size="large" block icon={<CameraOutlined />} onClick={(e) => (e.currentTarget.nextElementSibling as HTMLInputElement | null)?.click()}>{t('拍照识别二维码', 'Photograph the QR code')}</Button>
            <input type="file" accept="image/*" capture="environment" data-testid="scan-photo" style={{ display: 'none' }} onChange={(e) => decodePhoto(e.target.files?.[0])} />
          </label>
          {scan && (
            <Card size="small" data-testid="subject-card" style={{ background: '#fafafa' }}>
              <Descriptions column={1} size="small" labelStyle={big} contentStyle={big}>
                <Descriptions.Item label={t('主体', 'Producer')}>{scan.subject.name}</Descriptions.Item>
                <Descriptions.Item label={t('联系人', 'Contact')}>{scan.subject.contactName} {scan.subject.contactPhone}</Descriptions.Item>
                <Descriptions.Item label={t('地址', 'Address')}>{scan.subject.address}</Descriptions.Item>
                <Descriptions.Item label={t('信用', 'Credit')}>
                  <Tag color={GRADE_COLORS[scan.credit.grade]}>{scan.credit.grade} {scan.credit.gradeZh}</Tag>
                  {scan.credit.repeatOffender && <Tag color="red">{t('屡查屡犯', 'Repeat offender')}</Tag>}
                </Descriptions.Item>
              </Descriptions>
              {scan.openTasks.length > 0 && <Alert type="info" showIcon message={t('该主体有待完成的双随机抽查任务，本次巡查将计入该任务', 'This producer has an open random-check task; this patrol will complete it')} style={{ marginBottom: 12 }} />}
              <Radio.Group size="large" value={target} onChange={(e) => setTarget(e.target.value)} optionType="button" buttonStyle="solid" style={{ marginBottom: 12 }}
                options={[{ value: 'base', label: t('生产基地', 'Base') }, { value: 'subject', label: t('主体追溯', 'Traceability') }, { value: 'input_dealer', label: t('农资店', 'Input dealer') }]} />
              <Button type="primary" size="large" block data-testid="patrol-start" loading={busy} onClick={start}>{t('开始巡查', 'Start the patrol')}</Button>
            </Card>
          )}
        </Space>
      )}
      {patrol && (
        <Form form={form} layout="vertical" size="large" onFinish={submit} onFinishFailed={() => message.error(t('请按提示补全', 'Complete the highlighted fields'))}>
          <Typography.Title level={5}>{patrol.subjectName} · {patrol.templateName}</Typography.Title>
          {patrol.templateItems.map((i) => (
            <Card key={i.code} size="small" style={{ marginBottom: 8 }}>
              <div style={{ ...big, marginBottom: 8 }}>{i.critical && <Tag color="red">{t('关键', 'Key')}</Tag>}{lang === 'en' ? i.en : i.zh}</div>
              <Form.Item name={`item_${i.code}`} noStyle>
                <Radio.Group optionType="button" buttonStyle="solid" options={[
                  { value: true, label: <span data-testid={`check-${i.code}-ok`}>{t('符合', 'OK')}</span> },
                  { value: false, label: <span data-testid={`check-${i.code}-fail`}>{t('不符合', 'Not OK')}</span> },
                ]} />
              </Form.Item>
            </Card>
          ))}
          <Form.Item name="result" label={<span style={big}>{t('巡查结果', 'Result')}</span>} rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid" options={[
              { value: 'pass', label: <span data-testid="result-pass">{t('合格', 'Pass')}</span> },
              { value: 'fail', label: <span data-testid="result-fail">{t('不合格', 'Fail')}</span> },
              { value: 'rectify', label: <span data-testid="result-rectify">{t('限期整改', 'Rectify')}</span> },
            ]} />
          </Form.Item>
          {result !== 'pass' && (
            <Form.Item name="findings" label={t('发现的问题', 'Problems found')} rules={[{ required: true, message: t('请写明发现的问题', 'Describe the problems') }]}>
              <Input.TextArea data-testid="patrol-findings" rows={3} style={big} />
            </Form.Item>
          )}
          {result === 'rectify' && (
            <Form.Item name="rectifyDeadline" label={t('整改期限', 'Rectification deadline')} rules={[{ required: true, message: t('请选择整改期限', 'Choose a deadline') }]}>
              <Input type="date" data-testid="patrol-deadline" />
            </Form.Item>
          )}
          <Form.Item label={t('现场照片', 'Photos')}>
            <Space wrap>
              {photos.map((p) => <img key={p.id} src={p.url} alt="" style={{ width: 80, height: 80, objectFit: 'cover', borderRadius: 6 }} />)}
              <label style={{ display: 'inline-flex', alignItems: 'center', justifyContent: 'center', width: 80, height: 80, border: '2px dashed #999', borderRadius: 6, cursor: 'pointer' }}>
                <CameraOutlined style={{ fontSize: 28 }} />
                <input type="file" accept="image/*" capture="environment" multiple data-testid="patrol-photo" style={{ display: 'none' }} onChange={(e) => addPhoto(e.target.files)} />
              </label>
            </Space>
          </Form.Item>
          <Form.Item label={t('负责人签名', 'Signature of the responsible person')} required>
            <SignaturePad ref={sig} />
          </Form.Item>
          <Form.Item name="signerName" label={t('签名人姓名', 'Name of the signer')} rules={[{ required: true, message: t('请填写签名人姓名', 'Enter the signer’s name') }]}>
            <Input data-testid="patrol-signer" style={big} />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block data-testid="patrol-submit" loading={busy} style={{ height: 56, fontSize: 20 }}>{t('提交巡查结果', 'Submit')}</Button>
        </Form>
      )}
    </Card>
  );
}
