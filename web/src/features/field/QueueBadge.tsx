import { CloudUploadOutlined, DisconnectOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { useOnline, useQueue } from '../../shared/offline/useQueue';

/** Header button: the number of field records not yet sent (red when one was refused), and "offline" without signal. */
export function QueueBadge() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { items, pending } = useQueue();
  const online = useOnline();
  const failed = items.some((i) => i.state === 'failed');
  if (online && pending === 0) return null;
  return (
    <Tooltip title={t('离线待发送', 'Offline queue')}>
      <Badge count={pending} color={failed ? 'red' : 'orange'} offset={[-4, 4]}>
        <Button
          type="text"
          size="large"
          data-testid="queue-badge"
          icon={online ? <CloudUploadOutlined /> : <DisconnectOutlined style={{ color: '#d4380d' }} />}
          aria-label={t('离线待发送', 'Offline queue')}
          onClick={() => navigate('/field/queue')}
        >
          {online ? null : t('离线', 'Offline')}
        </Button>
      </Badge>
    </Tooltip>
  );
}
