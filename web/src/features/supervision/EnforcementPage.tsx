import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { ApiBody } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText } from '../../shared/ui/ErrorText';
import { MediaUpload } from '../../shared/ui/MediaUpload';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { type EnfCase, label, STATUS_COLORS } from './api';
import { ScanInput } from '../../shared/ui/ScanInput';

type CaseInput = ApiBody<'post', '/api/v1/enforcement-cases'>;
type Source = NonNullable<CaseInput['sourceType']>;
const VIOLATIONS: Record<CaseInput['violationType'], [string, string]> = {
  false_info: ['录入虚假追溯信息（第十七条第一项）', 'False information (art. 17 (1))'],
  chain_broken: ['不传递追溯信息（第十七条第二项）', 'Chain not passed on (art. 17 (2))'],
  identity_misuse: ['盗用冒用伪造身份标识/追溯标识（第十七条第三项）', 'Forged identity or labels (art. 17 (3))'],
  batch_mixing: ['故意混批（第十七条第四项）', 'Mixed batches (art. 17 (4))'],
  other: ['其他', 'Other'],
};
const SOURCES: Record<Source, [string, string]> = {
  inspection: ['执法检查', 'Inspection'],
  risk_case: ['风险处置（抽检不合格）', 'Risk case (failed test)'],
  patrol: ['巡查', 'Patrol'],
  complaint: ['投诉举报', 'Complaint'],
  other: ['其他', 'Other'],
};

/**
 * 执法 Administrative penalty cases: the list (one tap opens the case), and registering a case — also prefilled from
 * an inspection or a risk case (`?new=1&sourceType=…&sourceId=…&identityCode|subjectId=…`).
 */
export default function EnforcementPage() {
  const { t, lang } = useI18n();
  const { can, me } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { tableProps, error } = usePagedTable('/api/v1/enforcement-cases', {});
  const create = useApiMutation('post', '/api/v1/enforcement-cases', { invalidate: ['/api/v1/enforcement-cases'] });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<CaseInput>();
  const prefill = params.get('new') === '1';
  useEffect(() => {
    if (prefill) setOpen(true);
  }, [prefill]);
  const initial = {
    identityCode: params.get('identityCode') || undefined,
    productName: params.get('productName') || undefined,
    traceCode: params.get('traceCode') || undefined,
    sourceType: (params.get('sourceType') as Source) || 'other',
  };
  const close = () => {
    setOpen(false);
    if (prefill) setParams({});
  };
  const submitCase = useSubmit(
    form,
    (v) =>
      create.mutateAsync({
        body: {
          identityCode: v.identityCode || null,
          subjectId: params.get('subjectId') || null,
          partyName: v.partyName || null,
          divisionCode: v.divisionCode || null,
          productName: v.productName || null,
          traceCode: v.traceCode || null,
          facts: v.facts,
          violationType: v.violationType,
          sourceType: v.sourceType ?? 'other',
          sourceId: params.get('sourceId') || null,
          attachmentIds: v.attachmentIds ?? [],
        },
      }),
    {
      successMessage: t('已立案', 'Case registered'),
      onSuccess: (c) => {
        form.resetFields();
        navigate(`/enforcement/cases/${c.id}`);
      },
    },
  );
  return (
    <Card
      title={t('行政处罚案件', 'Penalty cases')}
      extra={
        can('enforcement.manage') && (
          <Space wrap>
            <Button size="large" onClick={() => navigate('/enforcement/inspect')}>
              {t('扫码执法检查', 'Scan & inspect')}
            </Button>
            <Button type="primary" size="large" data-testid="case-new" onClick={() => setOpen(true)}>
              {t('立案', 'Register a case')}
            </Button>
          </Space>
        )
      }
    >
      <ErrorText error={error} />
      <Table<EnfCase>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({ onClick: () => navigate(`/enforcement/cases/${c.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('案号', 'Case no.'), dataIndex: 'caseNo', render: (n) => <a>{n}</a> },
          { title: t('当事人', 'Party'), dataIndex: 'partyName' },
          { title: t('所在地', 'Location'), dataIndex: 'divisionName' },
          { title: t('违法类型', 'Violation'), render: (_, c) => label(lang, c.violationZh, c.violationEn) },
          {
            title: t('责令改正', 'Order to correct'),
            render: (_, c) =>
              c.correction.status ? (
                <Tag color={c.correction.overdue ? 'red' : 'default'}>
                  {label(lang, c.correction.statusZh, c.correction.statusEn)}
                  {c.correction.deadline && c.correction.status === 'ordered' ? ` · ${c.correction.deadline}` : ''}
                </Tag>
              ) : (
                '—'
              ),
          },
          {
            title: t('状态', 'Status'),
            render: (_, c) => <Tag color={STATUS_COLORS[c.status]}>{label(lang, c.statusZh, c.statusEn)}</Tag>,
          },
        ]}
      />
      <Modal
        open={open}
        title={t('立案', 'Register a case')}
        onCancel={close}
        onOk={() => form.submit()}
        confirmLoading={submitCase.submitting}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submitCase.onFinish} initialValues={initial}>
          <Form.Item name="sourceType" label={t('案件来源', 'Source')}>
            <Select
              disabled={!!params.get('sourceId')}
              options={(Object.keys(SOURCES) as Source[]).map((s) => ({ value: s, label: label(lang, ...SOURCES[s]) }))}
            />
          </Form.Item>
          {!params.get('subjectId') && (
            <>
              <Form.Item name="identityCode" label={t('当事人主体身份码（扫码或输入）', 'Identity code of the party')}>
                <ScanInput testId="case-identity" />
              </Form.Item>
              <Form.Item name="partyName" label={t('未注册当事人名称', 'Unregistered party name')}>
                <Input />
              </Form.Item>
              <Form.Item name="divisionCode" label={t('未注册当事人所在地', 'Location of an unregistered party')}>
                <DivisionPicker root={me?.scope} maxLevel={5} />
              </Form.Item>
            </>
          )}
          <Form.Item name="productName" label={t('产品', 'Product')}>
            <Input />
          </Form.Item>
          <Form.Item name="traceCode" label={t('批次追溯码', 'Batch trace code')}>
            <Input />
          </Form.Item>
          <Form.Item name="violationType" label={t('违法类型', 'Violation')} rules={[{ required: true }]}>
            <Select
              data-testid="case-violation"
              options={(Object.keys(VIOLATIONS) as CaseInput['violationType'][]).map((v) => ({
                value: v,
                label: label(lang, ...VIOLATIONS[v]),
              }))}
            />
          </Form.Item>
          <Form.Item name="facts" label={t('违法事实', 'Facts')} rules={[{ required: true, min: 5 }]}>
            <Input.TextArea rows={4} data-testid="case-facts" />
          </Form.Item>
          <Form.Item name="attachmentIds" label={t('证据照片和短视频', 'Evidence photos and videos')}>
            <MediaUpload testId="case-media" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
