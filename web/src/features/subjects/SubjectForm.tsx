import { AimOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Button,
  Checkbox,
  Col,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Upload,
} from 'antd';
import { useState } from 'react';
import { type ApiBody, ApiError, upload } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { useSubjectLabels } from './labels';

/** The registration fields as the server takes them (registration and resubmission share them). */
export type RegistrationBody = ApiBody<'post', '/api/v1/subjects/registrations'>;
type FileRef = NonNullable<RegistrationBody['files']>[number];
export type UploadedFile = FileRef & { name: string };

/** Uploads a proof file (licence, ID photo) to /files; returns its id. */
function uploadFile(file: File) {
  const fd = new FormData();
  fd.append('file', file, file.name);
  return upload('/api/v1/files', fd, { params: { query: { purpose: 'proof' } } });
}

/** The registration fields (used by self-registration and by the correction of a rejected application). */
export function SubjectFields({
  form,
  files,
  setFiles,
}: {
  form: FormInstance;
  files: UploadedFile[];
  setFiles: (f: UploadedFile[]) => void;
}) {
  const { t, lang } = useI18n();
  const { label, options } = useSubjectLabels();
  const orgForm = Form.useWatch('orgForm', form);
  const certType = Form.useWatch('certType', form);
  const [uploadError, setUploadError] = useState<string>();
  const locate = () =>
    navigator.geolocation?.getCurrentPosition((p) =>
      form.setFieldsValue({
        longitude: Number(p.coords.longitude.toFixed(6)),
        latitude: Number(p.coords.latitude.toFixed(6)),
      }),
    );
  const kinds: FileRef['kind'][] = ['licence', 'id_front', 'id_back', 'other'];

  return (
    <>
      <Form.Item
        name="orgForm"
        label={t('组织形式', 'Organisation form')}
        rules={[{ required: true, message: t('请选择组织形式', 'Choose one') }]}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          size="large"
          options={options('orgForms')}
          data-testid="reg-orgform"
          onChange={(e) =>
            form.setFieldsValue({ certType: e.target.value === 'individual' ? 'id_card' : 'credit_code' })
          }
        />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="subjectType" label={t('主体类型', 'Subject type')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" size="large" options={options('subjectTypes')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="industries"
            label={t('所属行业（可多选）', 'Industries')}
            rules={[{ required: true, message: t('至少选一个行业', 'Choose at least one') }]}
          >
            <Checkbox.Group options={options('industries')} data-testid="reg-industries" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="isSlaughterhouse" valuePropName="checked">
        <Checkbox>{t('屠宰厂（场）', 'Slaughterhouse')}</Checkbox>
      </Form.Item>
      <Form.Item
        name="name"
        label={t('主体名称（与证照一致）', 'Name (as on the licence)')}
        rules={[{ required: true, min: 2 }]}
      >
        <Input size="large" data-testid="reg-name" />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="certType" label={t('证件类型', 'Certificate')} rules={[{ required: true }]}>
            <Select size="large" disabled={orgForm !== 'family_farm'} options={options('certTypes')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item
            name="certNo"
            label={
              certType === 'id_card'
                ? t('身份证号码（18 位）', 'ID number (18)')
                : t('统一社会信用代码（18 位）', 'Credit code (18)')
            }
            rules={[{ required: true, len: 18, message: t('须为 18 位', 'Must be 18 characters') }]}
          >
            <Input size="large" maxLength={18} data-testid="reg-certno" style={{ textTransform: 'uppercase' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="legalPersonName" label={t('法定代表人/负责人', 'Legal person')} rules={[{ required: true }]}>
            <Input size="large" data-testid="reg-legal" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="legalPersonIdNo"
            label={t('负责人身份证号', 'Legal person ID')}
            rules={[
              {
                required: orgForm === 'family_farm' && certType === 'credit_code',
                message: t('家庭农场须填写', 'Required for family farms'),
              },
            ]}
          >
            <Input size="large" maxLength={18} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="legalPersonPhone" label={t('负责人电话', 'Legal person phone')}>
            <Input size="large" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="contactName" label={t('联系人', 'Contact')} rules={[{ required: true }]}>
            <Input size="large" data-testid="reg-contact" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="contactPhone"
            label={t('联系电话', 'Phone')}
            rules={[
              {
                required: true,
                pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
                message: t('请输入 11 位手机号或座机号', 'A mobile or landline number'),
              },
            ]}
          >
            <Input size="large" data-testid="reg-phone" inputMode="tel" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="contactEmail" label={t('电子邮箱', 'Email')} rules={[{ type: 'email' }]}>
            <Input size="large" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="divisionCode"
        label={t('所在地区（至少选到县区，最好选到乡镇）', 'Region (at least the county)')}
        rules={[{ required: true, message: t('请选择所在地区', 'Choose the region') }]}
      >
        <DivisionPicker maxLevel={5} placeholder={t('省 / 市 / 县 / 乡镇', 'Province / city / county / township')} />
      </Form.Item>
      <Form.Item name="address" label={t('详细地址', 'Address')} rules={[{ required: true, min: 2 }]}>
        <Input size="large" data-testid="reg-address" />
      </Form.Item>
      <Space align="end" wrap>
        <Form.Item name="longitude" label={t('经度', 'Longitude')}>
          <InputNumber size="large" min={73} max={136} step={0.000001} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="latitude" label={t('纬度', 'Latitude')}>
          <InputNumber size="large" min={3} max={54} step={0.000001} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item>
          <Button size="large" icon={<AimOutlined />} onClick={locate}>
            {t('用手机定位', 'Use my location')}
          </Button>
        </Form.Item>
      </Space>
      <Form.Item name="certifications" label={t('认证（可选）', 'Certifications')}>
        <Checkbox.Group options={options('certifications')} />
      </Form.Item>
      <Form.Item
        label={t('证明材料（图片或 PDF，每个不超过 5 MB）', 'Proof files (image or PDF, ≤ 5 MB each)')}
        required={orgForm !== 'individual'}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          {kinds.map((kind) => (
            <Space key={kind} wrap>
              <Upload
                accept="image/*,application/pdf"
                showUploadList={false}
                customRequest={async ({ file }) => {
                  try {
                    setUploadError(undefined);
                    const saved = await uploadFile(file as File);
                    setFiles([...files.filter((f) => f.kind !== kind), { fileId: saved.id, kind, name: saved.name }]);
                  } catch (e) {
                    setUploadError(e instanceof ApiError ? e.localized(lang) : String(e));
                  }
                }}
              >
                <Button size="large" icon={<UploadOutlined />} data-testid={`upload-${kind}`}>
                  {label('fileKinds', kind)}
                </Button>
              </Upload>
              {files.find((f) => f.kind === kind) && (
                <span data-testid={`uploaded-${kind}`}>✔ {files.find((f) => f.kind === kind)?.name}</span>
              )}
            </Space>
          ))}
          {uploadError && (
            <span style={{ color: '#cf1322' }} data-testid="upload-error">
              {uploadError}
            </span>
          )}
        </Space>
      </Form.Item>
    </>
  );
}

/** The form's values as the request body: empty fields left out, the certificate number in capitals, the files. */
export function fieldsOf<V extends object>(v: V, files: UploadedFile[]): V & { files: FileRef[] } {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (val !== undefined && val !== '' && val !== null) out[k] = val;
  if (typeof out.certNo === 'string') out.certNo = out.certNo.trim().toUpperCase();
  return { ...(out as V), files: files.map((f) => ({ fileId: f.fileId, kind: f.kind })) };
}
