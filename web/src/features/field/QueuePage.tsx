import {
  CheckCircleOutlined,
  CloudUploadOutlined,
  DeleteOutlined,
  ExclamationCircleOutlined,
  LoadingOutlined,
  RedoOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Empty, Form, Input, InputNumber, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { flush, type QueueItem, type QueueState, type QueueStep, remove, resend } from '../../shared/offline/queue';
import { useOnline, useQueue } from '../../shared/offline/useQueue';

const STATE: Record<QueueState, { color: string; zh: string; en: string; icon: React.ReactNode }> = {
  waiting: { color: 'orange', zh: '等待发送', en: 'Waiting', icon: <CloudUploadOutlined /> },
  sending: { color: 'processing', zh: '正在发送', en: 'Sending', icon: <LoadingOutlined /> },
  sent: { color: 'green', zh: '已发送', en: 'Sent', icon: <CheckCircleOutlined /> },
  failed: { color: 'red', zh: '被退回', en: 'Refused', icon: <ExclamationCircleOutlined /> },
};

/** 待发送 The device's queue of field actions: each with its state, the reason of a failure, resend and delete. */
export default function QueuePage() {
  const { t, lang } = useI18n();
  const { items } = useQueue();
  const online = useOnline();
  const time = (ms: number) => new Date(ms).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN');

  const row = (i: QueueItem) => {
    const s = STATE[i.state];
    const fixable = i.state === 'failed' && !!i.edit?.length;
    return (
      <List.Item data-testid={`queue-item-${i.state}`} style={{ display: 'block' }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Tag color={s.color} icon={s.icon} style={{ fontSize: 16, padding: '4px 8px' }}>
              {lang === 'en' ? s.en : s.zh}
            </Tag>
            <Typography.Text strong style={{ fontSize: 18 }}>
              {lang === 'en' ? i.titleEn : i.titleZh}
            </Typography.Text>
          </Space>
          <Typography.Text type="secondary">
            {t('保存于', 'Saved')} {time(i.createdAt)}
            {i.sentAt ? ` · ${t('发送于', 'sent')} ${time(i.sentAt)}` : ''}
            {i.state === 'waiting' && i.attempts > 0
              ? ` · ${t(`已重试 ${i.attempts} 次`, `${i.attempts} retries`)}`
              : ''}
          </Typography.Text>
          {i.problem && i.state !== 'sent' && (
            <Alert
              type={i.state === 'failed' ? 'error' : 'warning'}
              showIcon
              data-testid="queue-reason"
              message={lang === 'en' ? i.problem.messageEn : i.problem.message}
              description={
                i.state === 'failed'
                  ? t('请按提示处理后点“重新发送”，或删除此条', 'Fix what it says, then resend, or delete this item')
                  : undefined
              }
            />
          )}
          {fixable && <FixForm item={i} />}
          <Space wrap>
            {i.state !== 'sent' && i.state !== 'sending' && !fixable && (
              <Button size="large" icon={<RedoOutlined />} onClick={() => void resend(i.id)} data-testid="queue-resend">
                {t('重新发送', 'Resend')}
              </Button>
            )}
            {i.state === 'sent' && i.link && (
              <Link to={i.link}>
                <Button size="large">{t('查看', 'Open')}</Button>
              </Link>
            )}
            {i.state !== 'sending' && (
              <Popconfirm
                title={
                  i.state === 'sent'
                    ? t('从本机记录中删除？', 'Remove from this list?')
                    : t('删除后无法恢复，确定？', 'It will be lost. Delete?')
                }
                onConfirm={() => void remove(i.id)}
              >
                <Button size="large" danger icon={<DeleteOutlined />}>
                  {t('删除', 'Delete')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        </Space>
      </List.Item>
    );
  };

  return (
    <Card
      title={
        <Space>
          <CloudUploadOutlined />
          {t('离线待发送', 'Offline queue')}
        </Space>
      }
      extra={
        <Button
          size="large"
          type="primary"
          disabled={!online}
          onClick={() => void flush(true)}
          data-testid="queue-flush"
        >
          {t('立即发送', 'Send now')}
        </Button>
      }
    >
      {!online && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            '当前没有网络：记录保存在本机，联网后自动发送',
            'No signal: records stay on this device and are sent when online',
          )}
        />
      )}
      {items.length === 0 ? (
        <Empty description={t('没有待发送的记录', 'Nothing waiting')} />
      ) : (
        <List dataSource={items} renderItem={row} rowKey="id" />
      )}
    </Card>
  );
}

const stepValue = (steps: QueueStep[], step: string, field: string) =>
  (steps.find((s) => s.name === step)?.body as Record<string, unknown> | undefined)?.[field];

/** A refused item's fixable fields (the quantity after stock was sold meanwhile…), then "resend" with the fix. */
function FixForm({ item }: { item: QueueItem }) {
  const { t, lang } = useI18n();
  const edit = item.edit ?? [];
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(edit.map((e) => [`${e.step}.${e.field}`, stepValue(item.steps, e.step, e.field)])),
  );
  const patch = (steps: QueueStep[]) =>
    steps.map((s) => {
      const mine = edit.filter((e) => e.step === s.name);
      if (!mine.length || !s.body || typeof s.body !== 'object') return s;
      const body = { ...(s.body as Record<string, unknown>) };
      for (const e of mine) body[e.field] = values[`${e.step}.${e.field}`];
      return { ...s, body };
    });
  return (
    <Form layout="vertical" size="large" onFinish={() => void resend(item.id, patch)} data-testid="queue-fix">
      {edit.map((e) => {
        const key = `${e.step}.${e.field}`;
        const v = values[key];
        const set = (x: unknown) => setValues((o) => ({ ...o, [key]: x }));
        return (
          <Form.Item
            key={key}
            label={lang === 'en' ? e.en : e.zh}
            validateStatus={item.problem?.field === e.field ? 'error' : undefined}
            style={{ marginBottom: 8 }}
          >
            {typeof v === 'number' ? (
              <InputNumber
                value={v}
                min={0}
                onChange={(x) => set(x ?? 0)}
                style={{ width: '100%' }}
                inputMode="decimal"
                data-testid={`queue-fix-${e.field}`}
              />
            ) : (
              <Input
                value={String(v ?? '')}
                onChange={(x) => set(x.target.value)}
                data-testid={`queue-fix-${e.field}`}
              />
            )}
          </Form.Item>
        );
      })}
      <Button size="large" type="primary" htmlType="submit" icon={<RedoOutlined />} data-testid="queue-resend">
        {t('改好后重新发送', 'Resend with the fix')}
      </Button>
    </Form>
  );
}
