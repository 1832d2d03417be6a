import { BellOutlined } from '@ant-design/icons';
import { Badge, Card, List, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { label, type Notification } from './api';

/** 通知 Mine and my organisation's; opening one marks it read and follows its link. */
export default function NotificationsPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const list = useApiQuery('/api/v1/notifications', { params: { query: { pageSize: 100 } } });
  const markRead = useApiMutation('post', '/api/v1/notifications/{id}/read', {
    invalidate: ['/api/v1/notifications'],
  });
  const open = async (n: Notification) => {
    if (!n.readAt) await markRead.mutateAsync({ params: { path: { id: n.id } } }).catch(() => undefined);
    if (n.link) navigate(n.link);
  };
  return (
    <Card
      title={
        <span>
          <BellOutlined /> {t('通知', 'Notifications')} <Badge count={list.data?.unread ?? 0} />
        </span>
      }
    >
      <ErrorText error={list.error} />
      <List
        loading={list.isLoading}
        dataSource={list.data?.items}
        renderItem={(n) => (
          <List.Item data-testid="notification" onClick={() => open(n)} style={{ cursor: 'pointer', fontSize: 17 }}>
            <List.Item.Meta
              title={
                <>
                  {!n.readAt && <Tag color="red">{t('未读', 'New')}</Tag>}
                  {/* a message naming records (producers, products): user data in either language */}
                  <span data-userdata>{label(lang, n.title, n.titleEn)}</span>
                </>
              }
              description={
                <>
                  {n.body && <div>{n.body}</div>}
                  {new Date(n.createdAt).toLocaleString('zh-CN')}
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
