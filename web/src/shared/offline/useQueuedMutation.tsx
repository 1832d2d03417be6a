import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import type { ApiBody, ApiData, ApiPath } from '../api';
import { useI18n } from '../i18n';
import { lastResult, type QueueEdit, type QueueItem, submitQueued } from './queue';

/** A write kept on the device (no signal, or the send failed): it waits in the offline queue. */
export interface Queued {
  queued: true;
  item: QueueItem;
}
export const isQueued = (r: unknown): r is Queued => !!r && typeof r === 'object' && (r as Queued).queued === true;

/** How the queue lists the write, where its record is seen, and which fields can be fixed if it is refused. */
export interface QueuedWrite {
  zh: string;
  en: string;
  link?: string;
  edit?: Omit<QueueEdit, 'step'>[];
  /** Values for the path's `{placeholders}`. */
  path?: Record<string, string>;
}

/**
 * A field form's POST through the offline queue (one queue for every field action, `queue.ts`): with signal it is
 * sent at once and resolves with the server's answer, exactly like `useApiMutation`, or throws its refusal for the
 * form to show; without signal (or when the send fails) it resolves with `{ queued: true }` and is sent later with
 * the same `Idempotency-Key`, so it is never applied twice.
 *
 *   const sell = useQueuedMutation('/api/v1/sales', 'sale', ['/api/v1/sales']);
 *   const r = await sell(body, { zh: '销售 豇豆 20 kg', en: 'Sale …', edit: [{ field: 'quantity', zh: '数量', en: 'Quantity' }] });
 *   if (isQueued(r)) notice(r.item); else setDone(r);
 */
export function useQueuedMutation<P extends ApiPath<'post'>>(
  path: P,
  kind: string,
  invalidate: (ApiPath<'get'> | QueryKey)[] = [],
) {
  const qc = useQueryClient();
  return async (body: ApiBody<'post', P>, what: QueuedWrite): Promise<ApiData<'post', P> | Queued> => {
    const url = (path as string).replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(what.path?.[k] ?? ''));
    const item = await submitQueued(
      kind,
      what.zh,
      what.en,
      [{ name: kind, method: 'POST', path: url, body }],
      what.link,
      what.edit?.map((e) => ({ ...e, step: kind })),
    );
    if (item.state !== 'sent') return { queued: true, item };
    await Promise.all(invalidate.map((k) => qc.invalidateQueries({ queryKey: typeof k === 'string' ? [k] : k })));
    return lastResult<ApiData<'post', P>>(item);
  };
}

/** "Saved on this device, sent when online" with a link to the queue: what a form shows for a queued write. */
export function useQueuedNotice(): () => void {
  const { t } = useI18n();
  const { message } = App.useApp();
  // The message is drawn outside the router (antd's App holder): a <Link> there has no router, navigate does.
  const navigate = useNavigate();
  return () =>
    void message.info({
      duration: 8,
      content: (
        <span data-testid="queued-notice">
          {t(
            '没有网络：已保存在本机，联网后自动发送，不会重复提交。',
            'No signal: saved on this device and sent once when online. ',
          )}
          <a
            href="/field/queue"
            onClick={(e) => {
              e.preventDefault();
              navigate('/field/queue');
            }}
          >
            {t('查看待发送', 'Offline queue')}
          </a>
        </span>
      ),
    });
}
