import { BellOutlined } from '@ant-design/icons';
import { Badge, Card, List, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { get, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import type { Notification } from './api';

/** 通知 Mine and my organisation's; opening one marks it read and follows its link. */
export default function NotificationsPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const list = useRequest(() => get<{ items: Notification[]; unread: number }>('/notifications', { pageSize: 100 }), []);
  const open = async (n: Notification) => {
    if (!n.readAt) await post(`/notifications/${n.id}/read`).catch(() => undefined);
    if (n.link) navigate(n.link);
    else list.reload();
  };
  return (
    <Card title={<span><BellOutlined /> {t('通知', 'Notifications')} <Badge count={list.data?.unread ?? 0} /></span>}>
      <ErrorText error={list.error} />
      <List loading={list.loading} dataSource={list.data?.items} renderItem={(n) => (
        <List.Item data-testid="notification" onClick={() => open(n)} style={{ cursor: 'pointer', fontSize: 17 }}>
          <List.Item.Meta title={<span>{!n.readAt && <Tag color="red">{t('未读', 'New')}</Tag>}{lang === 'en' ? n.titleEn : n.title}</span>} description={<>{n.body && <div>{n.body}</div>}{new Date(n.createdAt).toLocaleString('zh-CN')}</>} />
        </List.Item>
      )} />
    </Card>
  );
}
