import { Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { type ReviewRow, pick } from './api';

type State = 'pending' | 'approved' | 'returned';

/** The page of a catalogue-reviewed record, for those who may open it (owner-reviewed items carry their `link`). */
const RECORD_PAGES: Record<string, { verb: string; to: (id: string) => string }> = {
  batch: { verb: 'batch.read', to: (id) => `/trace/batches/${id}` },
};

/** The China date of an instant (deadlines are whole China days; `dueAt` is the end of one). */
const chinaDay = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Kinds reviewed on this queue by their owning module (kernel/review.ts), whatever the catalogue lists. */
const OWNED_KINDS = [
  { key: 'subject', nameZh: '生产经营主体注册', nameEn: 'Producer registration' },
  { key: 'subject_change', nameZh: '主体变更申请', nameEn: 'Producer change application' },
  { key: 'subject_cancel', nameZh: '主体注销申请', nameEn: 'Producer cancellation application' },
  { key: 'subject_revoke', nameZh: '主体撤销申请', nameEn: 'Producer revocation proposal' },
  { key: 'origin_record', nameZh: '产地溯源记录', nameEn: 'Origin record' },
];

/** 信息审核: reviewers approve or return with reasons (and approve a filtered set); collectors see reasons, resubmit. */
export default function ReviewsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const showError = useShowError();
  const [state, setState] = useState<State | undefined>('pending');
  const [resource, setResource] = useState<string>();
  const list = usePagedTable('/api/v1/reviews', { state, resource });
  const reasons = useApiQuery('/api/v1/reviews/reasons');
  const catalog = useApiQuery('/api/v1/info-catalog/current', undefined, { enabled: can('infocatalog.read') });
  const inv = { invalidate: ['/api/v1/reviews' as const] };
  const decide = useApiMutation('post', '/api/v1/reviews/{id}/decision', inv);
  const resubmit = useApiMutation('post', '/api/v1/reviews/{id}/resubmit', inv);
  const bulk = useApiMutation('post', '/api/v1/reviews/bulk-approve', inv);
  const [returning, setReturning] = useState<ReviewRow>();
  const [form] = Form.useForm<{ reasons: string[]; comment?: string }>();
  type Reason = NonNullable<typeof reasons.data>[number]['code'];

  return (
    <Card
      title={t('信息审核', 'Information review')}
      extra={
        <Space wrap>
          <Select
            allowClear
            style={{ minWidth: 120 }}
            value={state}
            onChange={setState}
            placeholder={t('状态', 'State')}
            options={[
              { value: 'pending', label: t('待审核', 'Pending') },
              { value: 'returned', label: t('已退回', 'Returned') },
              { value: 'approved', label: t('已通过', 'Approved') },
            ]}
          />
          <Select
            allowClear
            style={{ minWidth: 140 }}
            value={resource}
            onChange={setResource}
            placeholder={t('信息类别', 'Resource')}
            options={[
              ...OWNED_KINDS,
              ...(catalog.data?.content.resources ?? []).filter(
                (r) => r.reviewed && !OWNED_KINDS.some((o) => o.key === r.key),
              ),
            ].map((r) => ({ value: r.key, label: pick(lang, r.nameZh, r.nameEn) }))}
          />
          {(can('review.decide') || can('subject.review') || can('origin.review')) && state === 'pending' && (
            <Button
              data-testid="review-bulk"
              onClick={() =>
                bulk
                  .mutateAsync({ body: { resource } })
                  .then((r) =>
                    Modal.info({
                      content: t(
                        `已通过 ${r.approved} 条（跳过本人录入 ${r.skippedOwn} 条${r.refused ? `，无权或不能通过 ${r.refused} 条` : ''}）`,
                        `Approved ${r.approved} (skipped ${r.skippedOwn} own entries${r.refused ? `, ${r.refused} not yours or refused` : ''})`,
                      ),
                    }),
                  )
                  .catch(showError)
              }
            >
              {t('批量通过筛选结果', 'Approve the filtered set')}
            </Button>
          )}
        </Space>
      }
    >
      <ErrorText error={list.error} />
      <Table<ReviewRow>
        rowKey="id"
        size="small"
        {...list.tableProps}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('类别', 'Resource'), render: (_, x) => pick(lang, x.resourceZh, x.resourceEn) },
          {
            title: t('记录', 'Record'),
            render: (_, x) => {
              const page = RECORD_PAGES[x.resource];
              const to = x.link ?? (page && can(page.verb) ? page.to(x.recordId) : null);
              return to ? (
                <Link to={to} data-testid={`review-link-${x.label}`}>
                  {x.label}
                </Link>
              ) : (
                x.label
              );
            },
          },
          {
            title: t('状态', 'State'),
            render: (_, x) => <Tag data-testid={`review-state-${x.label}`}>{pick(lang, x.statusZh, x.statusEn)}</Tag>,
          },
          {
            title: t('审核期限', 'Due'),
            render: (_, x) => (
              <span style={{ color: x.overdue ? '#cf1322' : undefined }} data-testid={`review-due-${x.label}`}>
                {chinaDay(x.dueAt)}
                {x.overdue ? t('（已超期）', ' (overdue)') : ''}
              </span>
            ),
          },
          {
            title: t('退回原因', 'Reasons'),
            render: (_, x) =>
              [x.reasons.map((r) => pick(lang, r.zh, r.en)).join('、'), x.comment].filter(Boolean).join(' — '),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, x) => (
              <Space>
                {x.allowedActions.includes('approve') && (
                  <Button
                    size="small"
                    type="primary"
                    data-testid={`review-approve-${x.label}`}
                    onClick={() =>
                      decide
                        .mutateAsync({ params: { path: { id: x.id } }, body: { action: 'approve' } })
                        .catch(showError)
                    }
                  >
                    {t('通过', 'Approve')}
                  </Button>
                )}
                {x.allowedActions.includes('return') && (
                  <Button size="small" danger data-testid={`review-return-${x.label}`} onClick={() => setReturning(x)}>
                    {t('退回', 'Return')}
                  </Button>
                )}
                {x.allowedActions.includes('resubmit') && (
                  <Button
                    size="small"
                    onClick={() => resubmit.mutateAsync({ params: { path: { id: x.id } } }).catch(showError)}
                  >
                    {t('重新提交', 'Resubmit')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!returning}
        title={t('退回并说明原因', 'Return with reasons')}
        onCancel={() => setReturning(undefined)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'review-return-ok' } as Record<`data-${string}`, string>}
        confirmLoading={decide.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            returning &&
            decide
              .mutateAsync({
                params: { path: { id: returning.id } },
                body: { action: 'return', reasons: v.reasons as Reason[], comment: v.comment },
              })
              .then(() => setReturning(undefined))
              .catch(showError)
          }
        >
          <Form.Item name="reasons" label={t('原因', 'Reasons')} rules={[{ required: true }]}>
            <Checkbox.Group
              options={(reasons.data ?? []).map((r) => ({ value: r.code, label: pick(lang, r.zh, r.en) }))}
            />
          </Form.Item>
          <Form.Item name="comment" label={t('审核意见', 'Comment')}>
            <Input.TextArea data-testid="review-comment" maxLength={1000} rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
