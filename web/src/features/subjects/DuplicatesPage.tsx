import { Alert, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';

/**
 * Producers registered on more than one platform (统一主体注册, seed 003 一(四)1), in the reviewer's jurisdiction: the
 * merge items. Each group is one producer (matched by keyed hashes of its credit code or ID number) with every live
 * record — this platform's and those shared up from lower ones — its platform, status and identity code. The merge
 * itself is cancelling the surplus record on the platform that holds it.
 */
export default function DuplicatesPage() {
  const { t, lang } = useI18n();
  const { data, error, isLoading } = useApiQuery('/api/v1/subjects/registry/duplicates');
  return (
    <Card title={t('跨平台重复注册', 'Registered on more than one platform')}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={t(
          '同一统一社会信用代码或身份证号在多个平台（或本平台多次）在册。请联系持有多余记录的平台注销其中一条，保留一个主体身份码。',
          'The same credit code or ID number is live on more than one platform (or twice here). Ask the platform holding the surplus record to cancel it, keeping one identity code.',
        )}
      />
      <ErrorText error={error} />
      <List
        loading={isLoading}
        dataSource={data ?? []}
        locale={{ emptyText: <Empty description={t('没有重复注册', 'No producer is registered twice')} /> }}
        renderItem={(d, i) => (
          <List.Item key={d.records.map((r) => r.recordId).join()} data-testid="duplicate-group">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text strong>
                {t(`第 ${i + 1} 组：${d.records.length} 条记录`, `Group ${i + 1}: ${d.records.length} records`)}
              </Typography.Text>
              {d.records.map((r) => (
                <Card key={r.recordId} size="small" data-testid="duplicate-record">
                  <Space wrap>
                    <Typography.Text strong data-userdata>
                      {r.name || t('（未共享名称）', '(name not shared)')}
                    </Typography.Text>
                    <Tag color="purple">{lang === 'en' ? r.platformNameEn : r.platformName}</Tag>
                    <Tag>{lang === 'en' ? r.statusEn : r.statusZh}</Tag>
                  </Space>
                  <div>
                    <DivisionName code={r.divisionCode} />
                  </div>
                  {r.identityCode && (
                    <div>
                      {t('主体身份码', 'Identity code')}:{' '}
                      {r.local ? <Link to={`/s/${r.identityCode}`}>{r.identityCode}</Link> : r.identityCode}
                    </div>
                  )}
                </Card>
              ))}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
