import { App, Button, Card, Input, Modal, Space, Table, Tag } from 'antd';
import { get, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';

/** 第三方服务机构 Agencies in my jurisdiction; the province approves or rejects registrations. */
export default function AgenciesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useRequest(() => get<{ orgId: string; name: string; creditCode: string | null; services: string | null; contactName: string | null; contactPhone: string | null; status: string; allowedActions: string[] }[]>('/service-agencies'), []);
  const act = async (id: string, action: 'approve' | 'reject', body?: unknown) => { try { await post(`/service-agencies/${id}/${action}`, body); await reload(); } catch (e) { message.error((e as Error).message); } };
  return (
    <Card title={t('第三方服务机构', 'Service agencies')}>
      <ErrorText error={error} />
      <Table rowKey="orgId" loading={loading} dataSource={data ?? []} scroll={{ x: true }} columns={[
        { title: t('名称', 'Name'), dataIndex: 'name' }, { title: t('信用代码', 'Credit code'), dataIndex: 'creditCode' }, { title: t('服务内容', 'Services'), dataIndex: 'services' },
        { title: t('联系', 'Contact'), render: (_, a) => [a.contactName, a.contactPhone].filter(Boolean).join(' ') },
        { title: t('状态', 'Status'), dataIndex: 'status', render: (s) => <Tag color={s === 'approved' ? 'green' : s === 'pending' ? 'blue' : 'red'}>{({ approved: t('已通过', 'Approved'), pending: t('待审核', 'Pending'), rejected: t('已驳回', 'Rejected') } as Record<string, string>)[s]}</Tag> },
        { title: t('操作', 'Actions'), render: (_, a) => a.allowedActions.length > 0 && <Space>
          <Button type="primary" size="small" onClick={() => act(a.orgId, 'approve')}>{t('通过', 'Approve')}</Button>
          <Button danger size="small" onClick={() => Modal.confirm({ title: t('驳回原因', 'Reasons'), content: <Input.TextArea id="agency-reason" rows={3} />, onOk: () => act(a.orgId, 'reject', { reasons: (document.getElementById('agency-reason') as HTMLTextAreaElement).value }) })}>{t('驳回', 'Reject')}</Button>
        </Space> },
      ]} />
    </Card>
  );
}
