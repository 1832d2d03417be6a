import { Alert, Button, Card, Space, Table, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { setActingFor } from '../../shared/actingFor';
import type { ApiItem } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { usePagedTable } from '../../shared/usePagedTable';
import { ClientChangeButton } from './ClientChange';
import { SCOPE_LABELS } from './scopes';

type Client = ApiItem<'/api/v1/agency/clients'>;

/**
 * 服务的主体 The producers that authorised my agency. "Enter for this producer" makes every page act for it
 * (代录): products, bases, batches, certificates, input uses, sales and origin records, within the scopes it granted.
 */
export default function ClientsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { tableProps, error } = usePagedTable('/api/v1/agency/clients', {});
  return (
    <Card title={t('服务的主体', 'Clients')}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={t(
          '选择一个主体后，录入的产品、批次、合格证等都记在该主体名下，并标明由本机构代录。',
          'After choosing a producer, what you enter is recorded for it and marked as entered by your agency.',
        )}
      />
      <ErrorText error={error} />
      <Table<Client>
        rowKey="authorisationId"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('主体', 'Producer'), dataIndex: 'name' },
          { title: t('身份码', 'Identity code'), dataIndex: 'identityCode', render: (c) => c && <code>{c}</code> },
          {
            title: t('授权范围', 'Scopes'),
            render: (_, c) =>
              c.scopes.map((s) => <Tag key={s}>{t(...(SCOPE_LABELS[s as keyof typeof SCOPE_LABELS] ?? [s, s]))}</Tag>),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, c) => (
              <Space wrap>
                <Button
                  type="primary"
                  size="large"
                  data-testid="act-for"
                  onClick={() => {
                    setActingFor({ subjectId: c.subjectId, name: c.name });
                    navigate('/trace/batches');
                  }}
                >
                  {t('代为录入', 'Enter for this producer')}
                </Button>
                {c.scopes.includes('profile') && <ClientChangeButton subjectId={c.subjectId} name={c.name} />}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
