import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';

/** The header bell: unread count (polled each minute), the latest notices, tap to open and mark read. */
export function NotificationBell() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const { data, refetch } = useApiQuery(
    '/api/v1/notifications',
    { params: { query: { pageSize: 10 } } },
    { refetchInterval: 60_000 },
  );
  const markRead = useApiMutation('post', '/api/v1/notifications/{id}/read', { invalidate: ['/api/v1/notifications'] });
  const markAll = useApiMutation('post', '/api/v1/notifications/read-all', { invalidate: ['/api/v1/notifications'] });
  const content = (
    <div style={{ width: 320, maxWidth: '80vw' }}>
      {!data?.items.length ? (
        <Empty description={t('暂无通知', 'No notifications')} />
      ) : (
        <List
          size="small"
          dataSource={data.items}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: 'pointer', background: n.readAt ? undefined : '#fff8e1' }}
              data-testid="notification-item"
              onClick={async () => {
                if (!n.readAt) await markRead.mutateAsync({ params: { path: { id: n.id } } }).catch(() => {});
                setOpen(false);
                if (n.link) navigate(n.link);
              }}
            >
              <List.Item.Meta
                title={<Typography.Text strong={!n.readAt}>{lang === 'en' ? n.titleEn : n.title}</Typography.Text>}
                description={new Date(n.createdAt).toLocaleString('zh-CN')}
              />
            </List.Item>
          )}
        />
      )}
      {!!data?.unread && (
        <Button type="link" block onClick={() => markAll.mutateAsync().catch(() => {})}>
          {t('全部标为已读', 'Mark all read')}
        </Button>
      )}
    </div>
  );
  return (
    <Popover
      content={content}
      trigger="click"
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) void refetch();
      }}
      placement="bottomRight"
    >
      <Badge count={data?.unread ?? 0} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('通知', 'Notifications')}
          data-testid="notification-bell"
        />
      </Badge>
    </Popover>
  );
}
