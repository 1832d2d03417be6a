import { Button, Card, Input, Modal, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import type { ApiItem } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';

type Agency = ApiItem<'/api/v1/service-agencies'>;
const STATUS_COLORS: Record<Agency['status'], string> = { approved: 'green', pending: 'blue', rejected: 'red' };

/** 第三方服务机构 Agencies in my jurisdiction; the province approves or rejects registrations. */
export default function AgenciesPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const showError = useShowError();
  const { tableProps, error } = usePagedTable('/api/v1/service-agencies', {});
  const approve = useApiMutation('post', '/api/v1/service-agencies/{orgId}/approve', {
    invalidate: ['/api/v1/service-agencies'],
  });
  const reject = useApiMutation('post', '/api/v1/service-agencies/{orgId}/reject', {
    invalidate: ['/api/v1/service-agencies'],
  });
  return (
    <Card title={t('第三方服务机构', 'Service agencies')}>
      <ErrorText error={error} />
      <Table<Agency>
        rowKey="orgId"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name' },
          { title: t('信用代码', 'Credit code'), dataIndex: 'creditCode' },
          { title: t('服务内容', 'Services'), dataIndex: 'services' },
          { title: t('联系', 'Contact'), render: (_, a) => [a.contactName, a.contactPhone].filter(Boolean).join(' ') },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (_, a) => <Tag color={STATUS_COLORS[a.status]}>{lang === 'en' ? a.statusEn : a.statusZh}</Tag>,
          },
          {
            title: t('操作', 'Actions'),
            render: (_, a) => (
              <Space>
                {can('credit.read') && a.status === 'approved' && (
                  <Link to={`/credit/agencies/${a.orgId}`}>{t('诚信档案', 'Credit archive')}</Link>
                )}
                {a.allowedActions.includes('approve') && (
                  <Button
                    type="primary"
                    size="small"
                    onClick={() => approve.mutateAsync({ params: { path: { orgId: a.orgId } } }).catch(showError)}
                  >
                    {t('通过', 'Approve')}
                  </Button>
                )}
                {a.allowedActions.includes('reject') && (
                  <Button
                    danger
                    size="small"
                    onClick={() =>
                      Modal.confirm({
                        title: t('驳回原因', 'Reasons'),
                        content: <Input.TextArea id="agency-reason" rows={3} />,
                        onOk: () =>
                          reject
                            .mutateAsync({
                              params: { path: { orgId: a.orgId } },
                              body: {
                                reasons: (document.getElementById('agency-reason') as HTMLTextAreaElement).value,
                              },
                            })
                            .catch(showError),
                      })
                    }
                  >
                    {t('驳回', 'Reject')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
