import { App, Button, Card, Drawer, Form, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { get, type Page, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { APP_KINDS, ORG_FORMS } from './labels';
import { SubjectView } from './SubjectsPage';

interface Item { id: string; subjectId: string; subjectName: string; orgForm: string; kind: string; status: string; reason: string | null; divisionName: string; submittedAt: string; dueDate: string; overdue: boolean; overdueWorkingDays: number; workingDaysLeft: number; allowedActions: string[] }

/** 主体审核 The county's review queue: deadline 5 Chinese working days, overdue items in red. */
export default function ReviewQueuePage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'pending' | 'approved' | 'rejected'>('pending');
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useRequest(() => get<Page<Item>>('/subject-applications', { status, overdue: overdue || undefined, page, pageSize: 20 }), [status, overdue, page]);
  const [open, setOpen] = useState<Item>();
  const [rejecting, setRejecting] = useState<Item>();
  const [form] = Form.useForm();
  const decide = async (item: Item, action: 'approve' | 'reject', body: unknown) => {
    try {
      await post(`/subject-applications/${item.id}/${action}`, body);
      message.success(action === 'approve' ? t('已审核通过', 'Approved') : t('已驳回', 'Rejected'));
      setOpen(undefined);
      setRejecting(undefined);
      await reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Card title={t('主体审核', 'Producer review')} extra={<Space wrap>
      <Segmented value={status} onChange={(v) => { setPage(1); setStatus(v as never); }} options={[{ value: 'pending', label: t('待审核', 'Pending') }, { value: 'approved', label: t('已通过', 'Approved') }, { value: 'rejected', label: t('已驳回', 'Rejected') }]} />
      {status === 'pending' && <Button danger={overdue} onClick={() => setOverdue(!overdue)} data-testid="overdue-filter">{t('只看超期', 'Overdue only')}</Button>}
    </Space>}>
      <ErrorText error={error} />
      <Table<Item>
        rowKey="id" loading={loading} dataSource={data?.items} scroll={{ x: true }}
        rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
        onRow={(r) => ({ style: r.overdue ? { background: '#fff1f0' } : undefined })}
        pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage }}
        columns={[
          { title: t('主体', 'Producer'), dataIndex: 'subjectName', render: (n, r) => <a onClick={() => setOpen(r)} data-testid="review-open">{n}</a> },
          { title: t('类型', 'Kind'), dataIndex: 'kind', render: (k) => <Tag>{lang === 'en' ? APP_KINDS[k]?.[1] : APP_KINDS[k]?.[0]}</Tag> },
          { title: t('组织形式', 'Form'), dataIndex: 'orgForm', render: (f) => (lang === 'en' ? ORG_FORMS[f]?.[1] : ORG_FORMS[f]?.[0]) },
          { title: t('乡镇', 'Township'), dataIndex: 'divisionName' },
          { title: t('提交时间', 'Submitted'), dataIndex: 'submittedAt', render: (d) => new Date(d).toLocaleDateString() },
          {
            title: t('审核期限', 'Due'), dataIndex: 'dueDate',
            render: (d, r) => r.status !== 'pending' ? d : r.overdue ? <Tag color="red" data-testid="overdue-tag">{d} {t(`超期 ${r.overdueWorkingDays} 个工作日`, `${r.overdueWorkingDays} working days overdue`)}</Tag> : <span>{d}（{t(`剩 ${r.workingDaysLeft} 个工作日`, `${r.workingDaysLeft} working days left`)}）</span>,
          },
          { title: t('操作', 'Actions'), render: (_, r) => r.allowedActions.length > 0 && <Space>
            <Button type="primary" onClick={() => decide(r, 'approve', {})} data-testid="review-approve">{t('通过', 'Approve')}</Button>
            <Button danger onClick={() => setRejecting(r)} data-testid="review-reject">{t('驳回', 'Reject')}</Button>
          </Space> },
        ]}
      />
      <Drawer open={!!open} width={720} title={open?.subjectName} onClose={() => setOpen(undefined)} destroyOnHidden
        extra={open && open.allowedActions.length > 0 && <Space><Button type="primary" onClick={() => decide(open, 'approve', {})}>{t('通过', 'Approve')}</Button><Button danger onClick={() => setRejecting(open)}>{t('驳回', 'Reject')}</Button></Space>}>
        {open && <SubjectView id={open.subjectId} />}
      </Drawer>
      <Modal open={!!rejecting} title={t('驳回原因（申请人会看到）', 'Reasons (the applicant sees them)')} onCancel={() => setRejecting(undefined)} onOk={() => form.submit()} okButtonProps={{ danger: true, 'data-testid': 'reject-submit' } as never} destroyOnHidden>
        <Form form={form} preserve={false} onFinish={(v) => rejecting && decide(rejecting, 'reject', { reasons: [{ reason: v.reason }] })}>
          <Form.Item name="reason" rules={[{ required: true, message: t('请写明原因，告诉申请人如何修改', 'Say what to fix') }]}><Input.TextArea rows={4} data-testid="reject-reason" placeholder={t('例如：营业执照照片不清晰，请重新拍照上传', 'e.g. the licence photo is unreadable')} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
