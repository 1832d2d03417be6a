import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { ApiBody } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { Attachments } from '../../shared/ui/Attachments';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';
import { type EnfCase, label, STATUS_COLORS } from './api';

type Action = EnfCase['allowedActions'][number];
type ActionBody = ApiBody<'post', '/api/v1/enforcement-cases/{id}/actions'>;
/** Button names of the actions the server allows (the state tables are the server's). */
export const CASE_ACTIONS: Record<Action, [string, string]> = {
  investigate: ['开始调查', 'Investigate'],
  decide: ['作出处罚决定', 'Decide'],
  close: ['结案', 'Close'],
  dismiss: ['撤案/不予处罚', 'Dismiss'],
  orderCorrection: ['责令限期改正', 'Order to correct'],
  confirmCorrected: ['复查：已改正', 'Follow-up: corrected'],
  markNotCorrected: ['复查：未改正', 'Follow-up: not corrected'],
};
/** Actions that need a form (the rest run on one tap). */
const FORMS: Partial<Record<Action, true>> = {
  decide: true,
  orderCorrection: true,
  confirmCorrected: true,
  markNotCorrected: true,
};
const CORRECTION_COLORS: Record<string, string> = { ordered: 'orange', corrected: 'green', not_corrected: 'red' };

/** 执法案件详情 One penalty case: party, facts, source, the order to correct and its follow-up, decision, files. */
export default function EnforcementCasePage() {
  const { t, lang } = useI18n();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const showError = useShowError();
  const q = useApiQuery('/api/v1/enforcement-cases/{id}', { params: { path: { id } } }, { enabled: !!id });
  const act = useApiMutation('post', '/api/v1/enforcement-cases/{id}/actions', {
    invalidate: ['/api/v1/enforcement-cases', '/api/v1/enforcement-cases/{id}'],
  });
  const [acting, setActing] = useState<Action | null>(null);
  const [form] = Form.useForm<Omit<ActionBody, 'action' | 'correctionDeadline'> & { correctionDeadline?: Dayjs }>();
  const submit = useSubmit(
    form,
    (v) =>
      act.mutateAsync({
        params: { path: { id } },
        body: {
          action: acting as Action,
          decision: v.decision ?? null,
          fineYuan: v.fineYuan ?? null,
          note: v.note ?? null,
          correctionOrder: v.correctionOrder ?? null,
          correctionDeadline: v.correctionDeadline ? v.correctionDeadline.format('YYYY-MM-DD') : null,
        },
      }),
    { onSuccess: () => setActing(null) },
  );
  const run = (a: Action) =>
    FORMS[a] ? setActing(a) : act.mutateAsync({ params: { path: { id } }, body: { action: a } }).catch(showError);
  if (q.error) return <ErrorText error={q.error} />;
  const c = q.data;
  if (!c) return <Card loading />;
  const k = c.correction;
  const source =
    c.sourceType === 'risk_case' && c.sourceId ? (
      <a onClick={() => navigate(`/risk-cases/${c.sourceId}`)}>{label(lang, c.sourceZh ?? '', c.sourceEn ?? '')}</a>
    ) : (
      c.sourceType && label(lang, c.sourceZh ?? '', c.sourceEn ?? '')
    );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <>
            {t('执法案件', 'Enforcement case')} <span data-userdata>{c.caseNo}</span>
          </>
        }
        extra={
          <Tag color={STATUS_COLORS[c.status]} data-testid="case-status">
            {label(lang, c.statusZh, c.statusEn)}
          </Tag>
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t('当事人', 'Party')}>{c.partyName}</Descriptions.Item>
          <Descriptions.Item label={t('所在地', 'Location')}>{c.divisionName}</Descriptions.Item>
          <Descriptions.Item label={t('违法类型', 'Violation')}>
            {label(lang, c.violationZh, c.violationEn)}
          </Descriptions.Item>
          <Descriptions.Item label={t('案件来源', 'Source')}>{source || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('产品', 'Product')}>{c.productName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('追溯码', 'Trace code')}>
            {c.traceCode ? <code>{c.traceCode}</code> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('违法事实', 'Facts')} span={2}>
            {c.facts}
          </Descriptions.Item>
          <Descriptions.Item label={t('办案机构', 'Agency')}>{c.orgName}</Descriptions.Item>
          <Descriptions.Item label={t('立案时间', 'Registered')}>
            {new Date(c.createdAt).toLocaleString()}
          </Descriptions.Item>
          {c.decision && (
            <Descriptions.Item label={t('决定', 'Decision')} span={2}>
              {c.decision}
              {c.fineYuan ? t(`（罚款 ${c.fineYuan} 元）`, ` (fine ${c.fineYuan} yuan)`) : ''}
            </Descriptions.Item>
          )}
        </Descriptions>
        <div style={{ marginTop: 12 }}>
          <Attachments files={c.attachments} />
        </div>
      </Card>
      <Card title={t('责令限期改正', 'Order to correct within a deadline')} data-testid="correction">
        <Space direction="vertical" style={{ width: '100%' }}>
          <div>
            <Tag color={CORRECTION_COLORS[k.status ?? ''] ?? 'default'} data-testid="correction-status">
              {label(lang, k.statusZh, k.statusEn)}
            </Tag>
            {k.overdue && (
              <Tag color="red" data-testid="correction-overdue">
                {t('已逾期，请复查', 'Overdue: follow up')}
              </Tag>
            )}
          </div>
          {k.order && (
            <Alert
              type={k.overdue ? 'error' : 'info'}
              message={k.order}
              description={t(`改正期限：${k.deadline}`, `Deadline: ${k.deadline}`)}
            />
          )}
          {k.note && (
            <div>
              {t('复查情况', 'Follow-up')}：{k.note}
              {k.checkedAt && ` （${new Date(k.checkedAt).toLocaleDateString()}）`}
            </div>
          )}
        </Space>
      </Card>
      <Space wrap>
        {c.allowedActions.map((a) => (
          <Button
            key={a}
            size="large"
            type={a === 'orderCorrection' || a === 'decide' ? 'primary' : 'default'}
            data-testid={`case-${a}`}
            onClick={() => run(a)}
          >
            {label(lang, ...CASE_ACTIONS[a])}
          </Button>
        ))}
      </Space>
      <Modal
        open={!!acting}
        title={acting && label(lang, ...CASE_ACTIONS[acting])}
        onCancel={() => setActing(null)}
        onOk={() => form.submit()}
        confirmLoading={submit.submitting}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit.onFinish}>
          {acting === 'decide' && (
            <>
              <Form.Item name="decision" label={t('决定内容', 'Decision')} rules={[{ required: true }]}>
                <Input.TextArea rows={3} />
              </Form.Item>
              <Form.Item name="fineYuan" label={t('罚款（元）', 'Fine (yuan)')}>
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            </>
          )}
          {acting === 'orderCorrection' && (
            <>
              <Form.Item
                name="correctionOrder"
                label={t('责令改正的内容', 'What must be corrected')}
                rules={[{ required: true }]}
              >
                <Input.TextArea rows={3} data-testid="correction-order" />
              </Form.Item>
              <Form.Item name="correctionDeadline" label={t('改正期限', 'Deadline')} rules={[{ required: true }]}>
                <DatePicker style={{ width: '100%' }} data-testid="correction-deadline" />
              </Form.Item>
            </>
          )}
          {(acting === 'confirmCorrected' || acting === 'markNotCorrected') && (
            <Form.Item name="note" label={t('复查情况', 'Follow-up findings')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} data-testid="correction-note" />
            </Form.Item>
          )}
        </Form>
        <ErrorText error={submit.error} />
      </Modal>
    </Space>
  );
}
