import { CameraOutlined, ScanOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { type ApiBody, http } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { Attachments } from '../../shared/ui/Attachments';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { GRADE_COLORS, type Inspection, type InspectionScan, label, uploadMedia } from './api';
import { big, GpsTag, useGps } from './PatrolParts';

type InspectionBody = ApiBody<'post', '/api/v1/enforcement-inspections'>;
type Saved = { id: string; name: string; mime: string };

/**
 * 执法检查 On a phone: scan (or type) the producer's identity code → who it is (credit grade, open cases) → findings,
 * result, photos and short videos, GPS → record. A violation goes on to a penalty case citing this inspection.
 */
export default function InspectionPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const [scan, setScan] = useState<InspectionScan | null>(null);
  const [done, setDone] = useState<Inspection | null>(null);
  const [files, setFiles] = useState<Saved[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const gps = useGps();
  const photoInput = useRef<HTMLInputElement>(null);
  const videoInput = useRef<HTMLInputElement>(null);
  const [form] = Form.useForm<Pick<InspectionBody, 'place' | 'findings' | 'result'>>();
  const list = usePagedTable('/api/v1/enforcement-inspections', {});

  const lookup = async () => {
    setError(undefined);
    setBusy(true);
    try {
      setScan(await http.get('/api/v1/enforcement-inspections/scan', { params: { query: { code } } }));
    } catch (e) {
      setError(e);
      setScan(null);
    } finally {
      setBusy(false);
    }
  };
  const add = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy(true);
    setError(undefined);
    try {
      for (const f of Array.from(list)) {
        const saved = await uploadMedia(f);
        setFiles((fs) => [...fs, saved]);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = useSubmit(
    form,
    (v) =>
      http.post('/api/v1/enforcement-inspections', {
        body: {
          identityCode: code,
          place: v.place || null,
          findings: v.findings,
          result: v.result,
          attachmentIds: files.map((f) => f.id),
          longitude: gps?.longitude ?? null,
          latitude: gps?.latitude ?? null,
        },
      }),
    {
      successMessage: t('执法检查已记录', 'Inspection recorded'),
      onSuccess: (r) => {
        setDone(r);
        setFiles([]);
        form.resetFields();
      },
    },
  );
  const reset = () => {
    setDone(null);
    setScan(null);
    setCode('');
  };

  if (done)
    return (
      <Card title={t('执法检查已记录', 'Inspection recorded')} data-testid="inspection-done">
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Typography.Title level={4}>{done.subjectName}</Typography.Title>
          <Tag color={done.result === 'violation' ? 'red' : 'green'} style={big}>
            {label(lang, done.resultZh, done.resultEn)}
          </Tag>
          {done.result === 'violation' && (
            <Button
              type="primary"
              danger
              size="large"
              block
              data-testid="inspection-to-case"
              onClick={() =>
                navigate(
                  `/enforcement/cases?new=1&sourceType=inspection&sourceId=${done.id}&identityCode=${encodeURIComponent(done.identityCode ?? '')}`,
                )
              }
            >
              {t('据此立案', 'Register a case from it')}
            </Button>
          )}
          <Button size="large" block icon={<ScanOutlined />} onClick={reset}>
            {t('继续扫码检查', 'Scan the next one')}
          </Button>
        </Space>
      </Card>
    );

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('执法检查（扫主体身份码）', 'Enforcement inspection (scan the identity code)')}>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            size="large"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onPressEnter={lookup}
            placeholder={t('扫码或输入主体身份码', 'Scan or type the identity code')}
            data-testid="inspection-code"
          />
          <Button size="large" type="primary" icon={<ScanOutlined />} loading={busy} onClick={lookup}>
            {t('查询', 'Look up')}
          </Button>
        </Space.Compact>
        <ErrorText error={error} />
      </Card>
      {scan && (
        <Card title={scan.subject.name} data-testid="inspection-subject">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('所在地', 'Location')}>{scan.subject.divisionName}</Descriptions.Item>
            <Descriptions.Item label={t('地址', 'Address')}>{scan.subject.address}</Descriptions.Item>
            <Descriptions.Item label={t('联系人', 'Contact')}>
              {scan.subject.contactName} {scan.subject.contactPhone}
            </Descriptions.Item>
            <Descriptions.Item label={t('信用等级', 'Credit grade')}>
              <Tag color={GRADE_COLORS[scan.credit.grade]}>{label(lang, scan.credit.gradeZh, scan.credit.gradeEn)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('在办案件', 'Open cases')}>
              {scan.openCases.length
                ? scan.openCases.map((c) => (
                    <div key={c.id}>
                      <a onClick={() => navigate(`/enforcement/cases/${c.id}`)}>{c.caseNo}</a>{' '}
                      {label(lang, c.statusZh, c.statusEn)}
                    </div>
                  ))
                : t('无', 'none')}
            </Descriptions.Item>
          </Descriptions>
          <Form form={form} layout="vertical" onFinish={submit.onFinish} initialValues={{ result: 'compliant' }}>
            <Form.Item name="place" label={t('检查地点', 'Place')}>
              <Input size="large" />
            </Form.Item>
            <Form.Item name="findings" label={t('检查情况', 'Findings')} rules={[{ required: true, min: 2 }]}>
              <Input.TextArea rows={4} data-testid="inspection-findings" />
            </Form.Item>
            <Form.Item name="result" label={t('结果', 'Result')}>
              <Radio.Group size="large" optionType="button" buttonStyle="solid">
                <Radio value="compliant">{t('未发现问题', 'No problem')}</Radio>
                <Radio value="violation" data-testid="inspection-violation">
                  {t('发现违法线索', 'Violation found')}
                </Radio>
              </Radio.Group>
            </Form.Item>
            <Space wrap style={{ marginBottom: 12 }}>
              <Button size="large" icon={<CameraOutlined />} loading={busy} onClick={() => photoInput.current?.click()}>
                {t('拍照', 'Photo')}
              </Button>
              <input
                ref={photoInput}
                hidden
                type="file"
                accept="image/*"
                capture="environment"
                multiple
                onChange={(e) => add(e.target.files)}
              />
              <Button
                size="large"
                icon={<VideoCameraOutlined />}
                loading={busy}
                onClick={() => videoInput.current?.click()}
              >
                {t('短视频（MP4）', 'Short video (MP4)')}
              </Button>
              <input
                ref={videoInput}
                hidden
                type="file"
                accept="video/mp4"
                data-testid="inspection-video"
                onChange={(e) => add(e.target.files)}
              />
              <GpsTag gps={gps} />
            </Space>
            <Attachments files={files} height={64} />
            <Button
              type="primary"
              size="large"
              block
              htmlType="submit"
              loading={submit.submitting}
              data-testid="inspection-submit"
              style={{ marginTop: 12 }}
            >
              {t('记录检查', 'Record the inspection')}
            </Button>
          </Form>
        </Card>
      )}
      <Card title={t('本辖区执法检查记录', 'Inspections in my jurisdiction')}>
        <ErrorText error={list.error} />
        <Table<Inspection>
          rowKey="id"
          size="small"
          {...list.tableProps}
          scroll={{ x: 'max-content' }}
          expandable={{ expandedRowRender: (r) => <InspectionDetail id={r.id} /> }}
          columns={[
            { title: t('时间', 'When'), dataIndex: 'createdAt', render: (d: string) => new Date(d).toLocaleString() },
            { title: t('主体', 'Producer'), dataIndex: 'subjectName' },
            { title: t('所在地', 'Location'), dataIndex: 'divisionName' },
            {
              title: t('结果', 'Result'),
              render: (_, r) => (
                <Tag color={r.result === 'violation' ? 'red' : 'green'}>{label(lang, r.resultZh, r.resultEn)}</Tag>
              ),
            },
            { title: t('检查人', 'Inspector'), dataIndex: 'inspectorName' },
            {
              title: t('案件', 'Case'),
              render: (_, r) =>
                r.caseId ? <a onClick={() => navigate(`/enforcement/cases/${r.caseId}`)}>{r.caseNo}</a> : '—',
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** One inspection as recorded: place, findings, location and the photos and videos (loaded when the row opens). */
function InspectionDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const q = useApiQuery('/api/v1/enforcement-inspections/{id}', { params: { path: { id } } });
  const x = q.data;
  if (!x) return q.error ? <ErrorText error={q.error} /> : <Card loading size="small" />;
  return (
    <Descriptions size="small" column={1} data-testid="inspection-detail">
      <Descriptions.Item label={t('检查机构', 'Agency')}>{x.orgName}</Descriptions.Item>
      {x.identityCode && (
        <Descriptions.Item label={t('主体身份码', 'Identity code')}>
          <code>{x.identityCode}</code>
        </Descriptions.Item>
      )}
      {x.place && <Descriptions.Item label={t('地点', 'Place')}>{x.place}</Descriptions.Item>}
      <Descriptions.Item label={t('检查情况', 'Findings')}>
        <span style={{ whiteSpace: 'pre-wrap' }}>{x.findings}</span>
      </Descriptions.Item>
      {x.longitude !== null && x.latitude !== null && (
        <Descriptions.Item label={t('位置', 'Location')}>
          {x.longitude.toFixed(5)}, {x.latitude.toFixed(5)}
        </Descriptions.Item>
      )}
      {x.attachments.length > 0 && (
        <Descriptions.Item label={t('照片/视频', 'Photos / videos')}>
          <Attachments files={x.attachments} height={64} />
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}
