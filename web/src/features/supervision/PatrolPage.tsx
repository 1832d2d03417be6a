import { CameraOutlined, ScanOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, http } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { useCatalogRules } from '../../shared/useCatalogRules';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { ScanInput } from '../../shared/ui/ScanInput';
import { GRADE_COLORS, label, type Patrol, type ScanResult, shrinkImage } from './api';
import { big, GpsTag, PatrolDone, PatrolQueued, useGps } from './PatrolParts';
import { type Draft, offlineDraft, queuePatrol, refreshTemplates, type Target } from './patrolQueue';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad';

/**
 * 扫码巡查 On a phone: scan (or type) the producer's identity code → the producer card → start → checklist,
 * result, photos, the responsible person's signature, GPS → submit. Large controls, plain Chinese. Without signal
 * the patrol is made from the checklist kept on the device and saved in the offline queue (issue 16), photos and
 * signature included; it is sent, once, when the signal returns.
 */
export default function PatrolPage() {
  const { t, lang } = useI18n();
  // Required fields, lengths and code lists of the patrol form come from the information resource catalogue.
  const cat = useCatalogRules('patrol');
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const [scan, setScan] = useState<ScanResult | null>(null);
  const [target, setTarget] = useState<Target>('base');
  const [patrol, setPatrol] = useState<Draft | null>(null);
  const [done, setDone] = useState<Patrol | null>(null);
  const [queued, setQueued] = useState(false);
  const [offline, setOffline] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const gps = useGps();
  const [photos, setPhotos] = useState<{ blob: Blob; url: string }[]>([]);
  const [videos, setVideos] = useState<File[]>([]);
  const sig = useRef<SignaturePadHandle>(null);
  const [form] = Form.useForm();
  const result = Form.useWatch('result', form);

  useEffect(() => {
    refreshTemplates().catch(() => {});
  }, []);
  const isNetwork = (e: unknown) => e instanceof ApiError && e.problem.code === 'NETWORK';
  const lookup = async (value = code) => {
    setError(undefined);
    setOffline(false);
    setBusy(true);
    try {
      setScan(await http.get('/api/v1/patrols/scan', { params: { query: { code: value } } }));
    } catch (e) {
      setScan(null);
      if (isNetwork(e)) setOffline(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const startOffline = () => {
    const draft = offlineDraft(code.trim(), target);
    if (!draft) {
      setError(
        new Error(t('本机没有检查表，请先联网打开一次本页', 'No checklist on this device; open this page once online')),
      );
      return;
    }
    setPatrol(draft);
    form.setFieldsValue({
      result: 'pass',
      ...Object.fromEntries(draft.templateItems.map((i) => [`item_${i.code}`, true])),
    });
  };
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const p = await http.post('/api/v1/patrols', {
        body: { identityCode: code, target, taskId: scan?.openTasks[0]?.id, ...(gps ?? {}) },
      });
      setPatrol({ ...p, identityCode: code, target });
      form.setFieldsValue({
        result: 'pass',
        ...Object.fromEntries(p.templateItems.map((i) => [`item_${i.code}`, true])),
      });
    } catch (e) {
      if (isNetwork(e)) startOffline();
      else setError(e);
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
        setPhotos((ps) => [...ps, { blob, url: URL.createObjectURL(blob) }]);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  /** Short videos (MP4, ≤ 50 MB, at most 3); the server checks the type by content again. */
  const addVideo = (files: FileList | null) => {
    setError(undefined);
    for (const f of Array.from(files ?? [])) {
      if (!(f.type === 'video/mp4' || /\.mp4$/i.test(f.name)))
        return setError(new Error(t('只能上传 MP4 短视频', 'Only MP4 videos can be attached')));
      if (f.size > 50 * 1024 * 1024)
        return setError(new Error(t('视频不能超过 50 MB，请剪短后再传', 'Videos must be 50 MB or less: trim it')));
      setVideos((vs) => (vs.length >= 3 ? vs : [...vs, f]));
    }
  };
  const submit = async (v: Record<string, unknown>) => {
    if (!patrol) return;
    setBusy(true);
    setError(undefined);
    try {
      const png = await sig.current?.toPng();
      if (!png) throw new Error(t('请让负责人在签名框内签名', 'The responsible person must sign first'));
      const checklist = patrol.templateItems.map((i) => ({
        code: i.code,
        ok: v[`item_${i.code}`] !== false,
        note: (v[`note_${i.code}`] as string) || null,
      }));
      const body = {
        result: v.result as 'pass' | 'fail' | 'rectify',
        checklist,
        findings: (v.findings as string) || null,
        signerName: v.signerName as string,
        rectifyDeadline: v.result === 'rectify' ? (v.rectifyDeadline as string) : null,
        ...(gps ?? {}),
      };
      const item = await queuePatrol(
        patrol,
        body,
        photos.map((p) => p.blob),
        png,
        gps,
        videos,
      );
      setPatrol(null);
      if (item.state === 'sent') {
        setDone(item.results.submit as Patrol);
        message.success(t('巡查结果已提交', 'Patrol submitted'));
      } else setQueued(true);
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
    setVideos([]);
    setCode('');
    setQueued(false);
    setOffline(false);
    form.resetFields();
  };

  const targetPicker = (
    <Radio.Group
      size="large"
      value={target}
      onChange={(e) => setTarget(e.target.value as Target)}
      optionType="button"
      buttonStyle="solid"
      style={{ marginBottom: 12 }}
      options={(
        [
          ['base', t('生产基地', 'Base')],
          ['subject', t('主体追溯', 'Traceability')],
          ['input_dealer', t('农资店', 'Input dealer')],
        ] satisfies [Target, string][]
      ).map(([value, text]) => ({ value, label: text }))}
    />
  );

  if (done) return <PatrolDone done={done} onNext={reset} />;
  if (queued) return <PatrolQueued onNext={reset} />;

  return (
    <Card
      title={
        <Space>
          <ScanOutlined />
          {t('扫码巡查', 'Patrol by scanning')}
        </Space>
      }
      extra={<GpsTag gps={gps} />}
    >
      <ErrorText error={error} />
      {!patrol && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Typography.Text style={big}>
            {t('扫描主体身份码（或输入码号）', 'Scan the producer identity code (or type it)')}
          </Typography.Text>
          <ScanInput
            testId="scan"
            value={code}
            onChange={setCode}
            onScan={(c) => void lookup(c)}
            onPressEnter={() => void lookup()}
            placeholder={t('例如 HC91440117…', 'e.g. HC91440117…')}
            style={big}
            after={
              <Button
                size="large"
                type="primary"
                data-testid="scan-submit"
                loading={busy}
                onClick={() => void lookup()}
                disabled={!code.trim()}
              >
                {t('查询', 'Look up')}
              </Button>
            }
          />
          {offline && (
            <Card size="small" data-testid="patrol-offline">
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                message={t(
                  '没有网络：可以离线巡查，记录保存在本机，联网后自动提交',
                  'No signal: patrol offline; it is saved here and sent when online',
                )}
              />
              {targetPicker}
              <Button type="primary" size="large" block data-testid="patrol-start-offline" onClick={startOffline}>
                {t('离线开始巡查', 'Start offline')}
              </Button>
            </Card>
          )}
          {scan && (
            <Card size="small" data-testid="subject-card" style={{ background: '#fafafa' }}>
              <Descriptions column={1} size="small" labelStyle={big} contentStyle={big}>
                <Descriptions.Item label={t('主体', 'Producer')}>{scan.subject.name}</Descriptions.Item>
                <Descriptions.Item label={t('联系人', 'Contact')}>
                  {scan.subject.contactName} {scan.subject.contactPhone}
                </Descriptions.Item>
                <Descriptions.Item label={t('地址', 'Address')}>{scan.subject.address}</Descriptions.Item>
                <Descriptions.Item label={t('信用', 'Credit')}>
                  <Tag color={GRADE_COLORS[scan.credit.grade]}>
                    {scan.credit.grade} {label(lang, scan.credit.gradeZh, scan.credit.gradeEn)}
                  </Tag>
                  {scan.credit.repeatOffender && <Tag color="red">{t('屡查屡犯', 'Repeat offender')}</Tag>}
                </Descriptions.Item>
              </Descriptions>
              {scan.openTasks.length > 0 && (
                <Alert
                  type="info"
                  showIcon
                  message={t(
                    '该主体有待完成的双随机抽查任务，本次巡查将计入该任务',
                    'This producer has an open random-check task; this patrol will complete it',
                  )}
                  style={{ marginBottom: 12 }}
                />
              )}
              {targetPicker}
              <Button type="primary" size="large" block data-testid="patrol-start" loading={busy} onClick={start}>
                {t('开始巡查', 'Start the patrol')}
              </Button>
            </Card>
          )}
        </Space>
      )}
      {patrol && (
        <Form
          form={form}
          layout="vertical"
          size="large"
          onFinish={submit}
          onFinishFailed={() => message.error(t('请按提示补全', 'Complete the highlighted fields'))}
        >
          <Typography.Title level={5}>
            {patrol.subjectName} · {label(lang, patrol.templateName, patrol.templateNameEn)}
          </Typography.Title>
          {patrol.templateItems.map((i) => (
            <Card key={i.code} size="small" style={{ marginBottom: 8 }}>
              <div style={{ ...big, marginBottom: 8 }}>
                {i.critical && <Tag color="red">{t('关键', 'Key')}</Tag>}
                {lang === 'en' ? i.en : i.zh}
              </div>
              <Form.Item name={`item_${i.code}`} noStyle>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={[
                    { value: true, label: <span data-testid={`check-${i.code}-ok`}>{t('符合', 'OK')}</span> },
                    { value: false, label: <span data-testid={`check-${i.code}-fail`}>{t('不符合', 'Not OK')}</span> },
                  ]}
                />
              </Form.Item>
            </Card>
          ))}
          <Form.Item
            name="result"
            label={<span style={big}>{t('巡查结果', 'Result')}</span>}
            rules={cat.rules('result', [{ required: true }])}
          >
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={cat.options('result', [
                { value: 'pass', label: <span data-testid="result-pass">{t('合格', 'Pass')}</span> },
                { value: 'fail', label: <span data-testid="result-fail">{t('不合格', 'Fail')}</span> },
                { value: 'rectify', label: <span data-testid="result-rectify">{t('限期整改', 'Rectify')}</span> },
              ])}
            />
          </Form.Item>
          {result !== 'pass' && (
            <Form.Item
              name="findings"
              label={t('发现的问题', 'Problems found')}
              rules={cat.rules('findings', [
                { required: true, message: t('请写明发现的问题', 'Describe the problems') },
              ])}
            >
              <Input.TextArea data-testid="patrol-findings" rows={3} style={big} />
            </Form.Item>
          )}
          {result === 'rectify' && (
            <Form.Item
              name="rectifyDeadline"
              label={t('整改期限', 'Rectification deadline')}
              rules={cat.rules('rectifyDeadline', [
                { required: true, message: t('请选择整改期限', 'Choose a deadline') },
              ])}
            >
              <Input type="date" data-testid="patrol-deadline" />
            </Form.Item>
          )}
          <Form.Item label={t('现场照片', 'Photos')}>
            <Space wrap>
              {photos.map((p) => (
                <img
                  key={p.url}
                  src={p.url}
                  alt=""
                  style={{ width: 80, height: 80, objectFit: 'cover', borderRadius: 6 }}
                />
              ))}
              <label
                style={{
                  display: 'inline-flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                  width: 80,
                  height: 80,
                  border: '2px dashed #999',
                  borderRadius: 6,
                  cursor: 'pointer',
                }}
              >
                <CameraOutlined style={{ fontSize: 28 }} />
                <input
                  type="file"
                  accept="image/*"
                  capture="environment"
                  multiple
                  data-testid="patrol-photo"
                  style={{ display: 'none' }}
                  onChange={(e) => addPhoto(e.target.files)}
                />
              </label>
            </Space>
          </Form.Item>
          <Form.Item label={t('现场短视频（MP4，50 MB 内，最多 3 段）', 'Short videos (MP4, ≤ 50 MB, up to 3)')}>
            <Space wrap>
              {videos.map((f, i) => (
                <Tag key={`${f.name}-${i}`} closable onClose={() => setVideos((vs) => vs.filter((_, j) => j !== i))}>
                  <VideoCameraOutlined /> {f.name} ({(f.size / 1024 / 1024).toFixed(1)} MB)
                </Tag>
              ))}
              {videos.length < 3 && (
                <label
                  style={{
                    display: 'inline-flex',
                    alignItems: 'center',
                    justifyContent: 'center',
                    width: 80,
                    height: 80,
                    border: '2px dashed #999',
                    borderRadius: 6,
                    cursor: 'pointer',
                  }}
                >
                  <VideoCameraOutlined style={{ fontSize: 28 }} />
                  <input
                    type="file"
                    accept="video/mp4"
                    capture="environment"
                    data-testid="patrol-video"
                    style={{ display: 'none' }}
                    onChange={(e) => addVideo(e.target.files)}
                  />
                </label>
              )}
            </Space>
          </Form.Item>
          <Form.Item label={t('负责人签名', 'Signature of the responsible person')} required>
            <SignaturePad ref={sig} />
          </Form.Item>
          <Form.Item
            name="signerName"
            label={t('签名人姓名', 'Name of the signer')}
            rules={cat.rules('signerName', [
              { required: true, message: t('请填写签名人姓名', 'Enter the signer’s name') },
            ])}
          >
            <Input data-testid="patrol-signer" style={big} />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            data-testid="patrol-submit"
            loading={busy}
            style={{ height: 56, fontSize: 20 }}
          >
            {t('提交巡查结果', 'Submit')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
