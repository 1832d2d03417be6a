import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { get, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';

interface Item { id: string; kind: string; title: string; titleEn: string; body: string | null; link: string | null; createdAt: string; readAt: string | null }

/** The header bell: unread count (polled each minute), the latest notices, tap to open and mark read. */
export function NotificationBell() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [data, setData] = useState<{ items: Item[]; unread: number } | null>(null);
  const [open, setOpen] = useState(false);
  const load = () => get<{ items: Item[]; unread: number }>('/notifications', { pageSize: 10 }).then(setData, () => {});
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 60_000);
    return () => clearInterval(timer);
  }, []);
  const content = (
    <div style={{ width: 320, maxWidth: '80vw' }}>
      {!data?.items.length ? <Empty description={t('暂无通知', 'No notifications')} /> : (
        <List size="small" dataSource={data.items} renderItem={(n) => (
          <List.Item style={{ cursor: 'pointer', background: n.readAt ? undefined : '#fff8e1' }} data-testid="notification-item" onClick={async () => {
            if (!n.readAt) await post(`/notifications/${n.id}/read`).catch(() => {});
            setOpen(false);
            void load();
            if (n.link) navigate(n.link);
          }}>
            <List.Item.Meta title={<Typography.Text strong={!n.readAt}>{lang === 'en' ? n.titleEn : n.title}</Typography.Text>} description={new Date(n.createdAt).toLocaleString('zh-CN')} />
          </List.Item>
        )} />
      )}
      {!!data?.unread && <Button type="link" block onClick={async () => { await post('/notifications/read-all').catch(() => {}); void load(); }}>{t('全部标为已读', 'Mark all read')}</Button>}
    </div>
  );
  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={(o) => { setOpen(o); if (o) void load(); }} placement="bottomRight">
      <Badge count={data?.unread ?? 0} size="small" offset={[-4, 4]}>
        <Button type="text" icon={<BellOutlined />} aria-label={t('通知', 'Notifications')} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
