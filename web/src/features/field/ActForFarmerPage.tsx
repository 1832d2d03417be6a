import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { setActingFor } from '../../shared/actingFor';
import { type ApiItem, upload } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { SignaturePad, type SignaturePadHandle } from '../supervision/SignaturePad';

type Farmer = ApiItem<'/api/v1/farmer-consents/farmers'>;
type Scope = Farmer['consentScopes'][number];

const SCOPES: Record<Scope, [string, string]> = {
  products: ['产品', 'Products'],
  bases: ['基地', 'Bases'],
  batches: ['批次与追溯码', 'Batches and codes'],
  certificates: ['合格证', 'Certificates'],
  inputs: ['投入品记录', 'Input records'],
  sales: ['销售与收货', 'Sales and receipts'],
};
const DEFAULT_SCOPES: Scope[] = ['products', 'bases', 'batches', 'certificates', 'sales'];
const VALIDITY_DAYS = [30, 90, 180, 365];

/**
 * 代农户办理 Acting for a farmer (issue 16 item 5): a co-supervisor or township official finds a farmer of its
 * jurisdiction by name, records the farmer's consent (what for, how given, until when), then uses the normal forms
 * "acting for" the farmer (a banner on every page says so; records say who entered them for whom).
 */
export default function ActForFarmerPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [consentFor, setConsentFor] = useState<Farmer | null>(null);
  const farmers = useApiQuery('/api/v1/farmer-consents/farmers', { params: { query: { q: q || undefined } } });
  const revoke = useApiMutation('post', '/api/v1/farmer-consents/{id}/revoke', {
    invalidate: ['/api/v1/farmer-consents/farmers', '/api/v1/farmer-consents'],
  });
  const { modal, message } = App.useApp();

  const act = (f: Farmer) => {
    setActingFor({ subjectId: f.subjectId, name: f.name });
    navigate('/trace/batches');
  };
  const askRevoke = (f: Farmer) => {
    let reason = '';
    modal.confirm({
      title: t(`撤回「${f.name}」的同意`, `Revoke the consent of "${f.name}"`),
      content: (
        <Input.TextArea
          data-testid="revoke-reason"
          placeholder={t('撤回原因（如：农户要求）', 'Reason (e.g. the farmer asked)')}
          onChange={(e) => {
            reason = e.target.value;
          }}
        />
      ),
      okText: t('撤回', 'Revoke'),
      cancelText: t('取消', 'Cancel'),
      onOk: async () => {
        if (!f.consentId) return;
        await revoke.mutateAsync({ params: { path: { id: f.consentId } }, body: { reason: reason || '农户要求撤回' } });
        message.success(t('已撤回', 'Revoked'));
      },
    });
  };

  return (
    <Card title={t('代农户办理', 'Act for a farmer')}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={t(
          '先记录农户同意（签名或有见证人的口头同意），再代其办理批次、合格证和销售；每条记录都注明由您代录。',
          "Record the farmer's consent first (a signature, or verbal before a witness), then enter batches, certificates and sales for them; every record says you entered it.",
        )}
      />
      <Input.Search
        size="large"
        allowClear
        data-testid="farmer-search"
        placeholder={t('按农户名称查找', 'Find a farmer by name')}
        onSearch={(v) => setQ(v.trim())}
        style={{ marginBottom: 12 }}
      />
      <ErrorText error={farmers.error ?? revoke.error} />
      <Space direction="vertical" style={{ width: '100%' }}>
        {farmers.data?.items.map((f) => (
          <Card key={f.subjectId} size="small" data-testid="farmer-card">
            <Typography.Text strong style={{ fontSize: 18 }}>
              {f.name}
            </Typography.Text>
            <div style={{ color: '#666' }}>
              <DivisionName code={f.divisionCode} /> · {f.contactName}
            </div>
            <div style={{ margin: '8px 0' }}>
              {f.consentId ? (
                <>
                  <Tag color="green">
                    {t('已同意，至', 'Consent until')} {new Date(f.consentValidUntil ?? '').toLocaleDateString()}
                  </Tag>
                  {f.consentScopes.map((s) => (
                    <Tag key={s}>{t(...SCOPES[s])}</Tag>
                  ))}
                </>
              ) : (
                <Tag>{t('尚无同意记录', 'No consent recorded')}</Tag>
              )}
            </div>
            <Space wrap>
              {f.consentId && (
                <Button type="primary" size="large" data-testid="act-for-farmer" onClick={() => act(f)}>
                  {t('代为办理', 'Act for this farmer')}
                </Button>
              )}
              <Button size="large" data-testid="record-consent" onClick={() => setConsentFor(f)}>
                {f.consentId ? t('重新记录同意', 'Record consent again') : t('记录农户同意', 'Record consent')}
              </Button>
              {f.consentId && (
                <Button size="large" danger onClick={() => askRevoke(f)}>
                  {t('撤回同意', 'Revoke consent')}
                </Button>
              )}
            </Space>
          </Card>
        ))}
        {farmers.data && farmers.data.items.length === 0 && (
          <Typography.Text type="secondary">{t('没有找到农户', 'No farmer found')}</Typography.Text>
        )}
      </Space>
      {consentFor && <ConsentForm farmer={consentFor} onClose={() => setConsentFor(null)} />}
    </Card>
  );
}

type Method = 'signed_on_screen' | 'verbal_witnessed' | 'paper_form';

function ConsentForm({ farmer, onClose }: { farmer: Farmer; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const method = Form.useWatch<Method>('method', form) ?? 'signed_on_screen';
  const sig = useRef<SignaturePadHandle>(null);
  const [photo, setPhoto] = useState<File | null>(null);
  const [error, setError] = useState<unknown>();
  const record = useApiMutation('post', '/api/v1/farmer-consents', {
    invalidate: ['/api/v1/farmer-consents/farmers', '/api/v1/farmer-consents'],
  });
  const submit = async (v: { scopes: Scope[]; method: Method; witnessName?: string; days: number }) => {
    setError(undefined);
    try {
      let signatureFileId: string | null = null;
      if (v.method !== 'verbal_witnessed') {
        const blob = v.method === 'signed_on_screen' ? await sig.current?.toPng() : photo;
        if (!blob)
          throw new Error(
            v.method === 'signed_on_screen'
              ? t('请让农户在签名框内签名', 'The farmer must sign in the box first')
              : t('请拍下签好的同意书', 'Take a photo of the signed form first'),
          );
        const fd = new FormData();
        fd.append(
          'file',
          blob,
          v.method === 'signed_on_screen' ? 'consent-signature.png' : (photo?.name ?? 'form.jpg'),
        );
        signatureFileId = (await upload('/api/v1/files', fd, { params: { query: { purpose: 'image' } } })).id;
      }
      await record.mutateAsync({
        body: {
          subjectId: farmer.subjectId,
          scopes: v.scopes,
          method: v.method,
          witnessName: v.witnessName || null,
          signatureFileId,
          validUntil: new Date(Date.now() + v.days * 86_400_000).toISOString(),
        },
      });
      onClose();
    } catch (e) {
      setError(e);
      form.setFields(fieldErrors(e, lang));
    }
  };
  return (
    <Modal
      open
      title={t(`记录「${farmer.name}」的同意`, `Consent of "${farmer.name}"`)}
      onCancel={onClose}
      okText={t('保存同意', 'Save consent')}
      cancelText={t('取消', 'Cancel')}
      okButtonProps={{ size: 'large', 'data-testid': 'save-consent', loading: record.isPending } as never}
      onOk={() => form.submit()}
      width={480}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ scopes: DEFAULT_SCOPES, method: 'signed_on_screen', days: 90 }}
        onFinish={submit}
      >
        <Form.Item
          name="scopes"
          label={t('同意代办的事项', 'What the farmer agrees you may do')}
          rules={[{ required: true, message: t('至少选一项', 'Choose at least one') }]}
        >
          <Checkbox.Group
            options={(Object.keys(SCOPES) as Scope[]).map((s) => ({ value: s, label: t(...SCOPES[s]) }))}
          />
        </Form.Item>
        <Form.Item name="method" label={t('同意方式', 'How consent is given')}>
          <Radio.Group>
            <Space direction="vertical">
              <Radio value="signed_on_screen">{t('在屏幕上签名', 'Signs on this screen')}</Radio>
              <Radio value="verbal_witnessed" data-testid="method-verbal">
                {t('口头同意（须有见证人）', 'Verbal, with a witness')}
              </Radio>
              <Radio value="paper_form">{t('纸质同意书（拍照）', 'Signed paper form (photo)')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {method === 'verbal_witnessed' && (
          <Form.Item
            name="witnessName"
            label={t('见证人姓名', 'Witness name')}
            rules={[{ required: true, message: t('请填写见证人', 'Name the witness') }]}
          >
            <Input size="large" data-testid="witness-name" />
          </Form.Item>
        )}
        {method === 'signed_on_screen' && <SignaturePad ref={sig} height={150} />}
        {method === 'paper_form' && (
          <input
            type="file"
            accept="image/*"
            capture="environment"
            aria-label={t('同意书照片', 'Photo of the form')}
            onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
          />
        )}
        <Form.Item name="days" label={t('有效期', 'Valid for')} style={{ marginTop: 12 }}>
          <Select
            size="large"
            options={VALIDITY_DAYS.map((d) => ({
              value: d,
              label: d === 365 ? t('一年', 'one year') : t(`${d} 天`, `${d} days`),
            }))}
          />
        </Form.Item>
        <ErrorText error={error} />
      </Form>
    </Modal>
  );
}
