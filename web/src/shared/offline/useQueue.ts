import { useEffect, useState } from 'react';
import { listItems, type QueueItem, subscribe } from './queue';

/** The offline queue's items (newest first), live; `pending` = not yet sent. */
export function useQueue(): { items: QueueItem[]; pending: number } {
  const [items, setItems] = useState<QueueItem[]>([]);
  useEffect(() => {
    let alive = true;
    const load = () => void listItems().then((l) => alive && setItems(l));
    load();
    const off = subscribe(load);
    return () => {
      alive = false;
      off();
    };
  }, []);
  return { items, pending: items.filter((i) => i.state !== 'sent').length };
}

/** Whether the browser thinks it has a network. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}
