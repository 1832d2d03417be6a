import { App, Button, Card, Checkbox, Drawer, Form, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiItem, ApiQuery } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubjectLabels } from './labels';
import { SubjectView } from './SubjectsPage';

type Item = ApiItem<'/api/v1/subject-applications'>;
type Status = NonNullable<ApiQuery<'/api/v1/subject-applications'>['status']>;
const QUEUE = ['/api/v1/subject-applications', '/api/v1/subjects', '/api/v1/subjects/{id}'] as const;

/** 主体审核 The county's review queue: deadline 5 Chinese working days, overdue items in red. */
export default function ReviewQueuePage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useShowError();
  const { label } = useSubjectLabels();
  const [status, setStatus] = useState<Status>('pending');
  const [overdue, setOverdue] = useState(false);
  const { tableProps, error } = usePagedTable('/api/v1/subject-applications', {
    status,
    overdue: overdue || undefined,
  });
  const [open, setOpen] = useState<Item>();
  // `?subject=` / `?application=` (the review queue's links) open that record's application in the drawer.
  const [params] = useSearchParams();
  const subjectId = params.get('subject') ?? undefined;
  const applicationId = params.get('application') ?? undefined;
  const linked = useApiQuery(
    '/api/v1/subject-applications',
    { params: { query: { subjectId, applicationId, pageSize: 5 } } },
    { enabled: !!(subjectId || applicationId) },
  );
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const items = linked.data?.items ?? [];
    const first = items.find((a) => a.status === 'pending') ?? items[0];
    // Once: after a decision the list refreshes, and the drawer stays closed.
    if (first && !shown) {
      setOpen(first);
      setShown(true);
    }
  }, [linked.data, shown]);
  const [rejecting, setRejecting] = useState<Item>();
  const [form] = Form.useForm<{ codes?: string[]; reason?: string }>();
  const [selected, setSelected] = useState<string[]>([]);
  const { data: reasonList } = useApiQuery('/api/v1/subject-applications/reject-reasons');
  const approveMany = useApiMutation('post', '/api/v1/subject-applications/approve-many', { invalidate: [...QUEUE] });
  const doApproveMany = () =>
    approveMany.mutateAsync({ body: { ids: selected } }).then((r) => {
      setSelected([]);
      if (r.failed.length)
        Modal.warning({
          title: t(
            `已通过 ${r.approved.length} 件，${r.failed.length} 件未能通过`,
            `${r.approved.length} approved, ${r.failed.length} not`,
          ),
          content: r.failed.map((f) => <div key={f.id}>{lang === 'en' ? f.messageEn : f.message}</div>),
        });
      else message.success(t(`已批量通过 ${r.approved.length} 件`, `${r.approved.length} approved`));
    }, showError);
  const approve = useApiMutation('post', '/api/v1/subject-applications/{id}/approve', { invalidate: [...QUEUE] });
  const reject = useApiMutation('post', '/api/v1/subject-applications/{id}/reject', { invalidate: [...QUEUE] });
  const done = (text: string) => {
    message.success(text);
    setOpen(undefined);
    setRejecting(undefined);
  };
  const doApprove = (item: Item) =>
    approve
      .mutateAsync({ params: { path: { id: item.id } }, body: {} })
      .then(() => done(t('已审核通过', 'Approved')), showError);
  type ReasonCode = NonNullable<NonNullable<typeof reasonList>[number]['code']>;
  const doReject = (item: Item, v: { codes?: string[]; reason?: string }) =>
    reject
      .mutateAsync({
        params: { path: { id: item.id } },
        body: {
          reasons: [
            ...(v.codes ?? []).map((code) => ({ code: code as ReasonCode })),
            ...(v.reason?.trim() ? [{ reason: v.reason.trim() }] : []),
          ],
        },
      })
      .then(() => done(t('已驳回', 'Rejected')), showError);
  const actions = (r: Item) => (
    <Space>
      {r.allowedActions.includes('approve') && (
        <Button type="primary" onClick={() => doApprove(r)} data-testid="review-approve">
          {t('通过', 'Approve')}
        </Button>
      )}
      {r.allowedActions.includes('reject') && (
        <Button danger onClick={() => setRejecting(r)} data-testid="review-reject">
          {t('驳回', 'Reject')}
        </Button>
      )}
    </Space>
  );
  return (
    <Card
      title={t('主体审核', 'Producer review')}
      extra={
        <Space wrap>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as Status)}
            options={[
              { value: 'pending', label: t('待审核', 'Pending') },
              { value: 'approved', label: t('已通过', 'Approved') },
              { value: 'rejected', label: t('已驳回', 'Rejected') },
            ]}
          />
          {status === 'pending' && selected.length > 0 && (
            <Button type="primary" onClick={doApproveMany} data-testid="approve-many">
              {t(`批量通过（${selected.length}）`, `Approve selected (${selected.length})`)}
            </Button>
          )}
          {status === 'pending' && (
            <Button danger={overdue} onClick={() => setOverdue(!overdue)} data-testid="overdue-filter">
              {t('只看超期', 'Overdue only')}
            </Button>
          )}
        </Space>
      }
    >
      <ErrorText error={error} />
      <Table<Item>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
        rowSelection={
          status === 'pending'
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as string[]),
                getCheckboxProps: (r) => ({ disabled: !r.allowedActions.includes('approve') }),
              }
            : undefined
        }
        onRow={(r) => ({ style: r.overdue ? { background: '#fff1f0' } : undefined })}
        columns={[
          {
            title: t('主体', 'Producer'),
            dataIndex: 'subjectName',
            render: (n, r) => (
              <a onClick={() => setOpen(r)} data-testid="review-open">
                {n}
              </a>
            ),
          },
          {
            title: t('类型', 'Kind'),
            dataIndex: 'kind',
            render: (k: string) => <Tag>{label('applicationKinds', k)}</Tag>,
          },
          {
            title: t('组织形式', 'Form'),
            dataIndex: 'orgForm',
            render: (f: string) => label('orgForms', f),
          },
          { title: t('乡镇', 'Township'), dataIndex: 'divisionName' },
          {
            title: t('提交时间', 'Submitted'),
            dataIndex: 'submittedAt',
            render: (d) => new Date(d).toLocaleDateString(),
          },
          {
            title: t('审核期限', 'Due'),
            dataIndex: 'dueDate',
            render: (d, r) =>
              r.status !== 'pending' ? (
                d
              ) : r.overdue ? (
                <Tag color="red" data-testid="overdue-tag">
                  {d} {t(`超期 ${r.overdueWorkingDays} 个工作日`, `${r.overdueWorkingDays} working days overdue`)}
                </Tag>
              ) : (
                <span>
                  {d}（{t(`剩 ${r.workingDaysLeft} 个工作日`, `${r.workingDaysLeft} working days left`)}）
                </span>
              ),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, r) => actions(r),
          },
        ]}
      />
      <Drawer
        open={!!open}
        width={720}
        title={open?.subjectName}
        onClose={() => setOpen(undefined)}
        destroyOnHidden
        extra={
          open && (
            <Space>
              <Tag>{label('applicationKinds', open.kind)}</Tag>
              {open.allowedActions.includes('approve') && (
                <Button type="primary" onClick={() => doApprove(open)} data-testid="drawer-approve">
                  {t('通过', 'Approve')}
                </Button>
              )}
              {open.allowedActions.includes('reject') && (
                <Button danger onClick={() => setRejecting(open)} data-testid="drawer-reject">
                  {t('驳回', 'Reject')}
                </Button>
              )}
            </Space>
          )
        }
      >
        {open && <SubjectView id={open.subjectId} />}
      </Drawer>
      <Modal
        open={!!rejecting}
        title={t('驳回原因（申请人会看到）', 'Reasons (the applicant sees them)')}
        onCancel={() => setRejecting(undefined)}
        onOk={() => form.submit()}
        okButtonProps={{ danger: true, 'data-testid': 'reject-submit' } as never}
        destroyOnHidden
      >
        <Form form={form} preserve={false} onFinish={(v) => rejecting && doReject(rejecting, v)}>
          <Form.Item name="codes">
            <Checkbox.Group
              data-testid="reject-codes"
              style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
              options={(reasonList ?? [])
                .filter((r) => r.code !== 'other')
                .map((r) => ({ value: r.code, label: lang === 'en' ? r.en : r.zh }))}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            dependencies={['codes']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v?: string) =>
                  v?.trim() || (getFieldValue('codes') ?? []).length
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('请选择或写明原因，告诉申请人如何修改', 'Pick or write what to fix'))),
              }),
            ]}
          >
            <Input.TextArea
              rows={4}
              data-testid="reject-reason"
              placeholder={t('例如：营业执照照片不清晰，请重新拍照上传', 'e.g. the licence photo is unreadable')}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
