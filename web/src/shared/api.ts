/**
 * The API client. The session lives in an httpOnly cookie set by `login`, so requests need no token handling.
 * Every failure becomes an ApiError carrying the server's catalogued problem (code, zh/en message, field).
 */
export interface Problem {
  statusCode: number;
  code: string;
  message: string;
  messageEn: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
  get status() {
    return this.problem.statusCode;
  }
  /** The message in the UI's language. */
  localized(lang: 'zh' | 'en'): string {
    return lang === 'en' ? this.problem.messageEn : this.problem.message;
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function qs(query?: Query): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Listeners told when the server says the session is gone (the app then shows the login page). */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export async function api<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${qs(query)}`, {
      method,
      credentials: 'same-origin',
      headers: body !== undefined && !isForm ? { 'content-type': 'application/json' } : undefined,
      body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ statusCode: 0, code: 'NETWORK', message: '网络连接失败，请检查网络后重试', messageEn: 'Network error; check your connection and retry' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem: Problem = data?.code ? data : { statusCode: res.status, code: 'HTTP', message: `请求失败（${res.status}）`, messageEn: `Request failed (${res.status})` };
    if (res.status === 401 && !path.startsWith('/auth/login')) for (const fn of unauthorizedListeners) fn();
    throw new ApiError(problem);
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, undefined, query);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Downloads a file from an authenticated GET endpoint (Excel, PDF). */
export async function download(path: string, query?: Query, fallbackName = 'download'): Promise<void> {
  const res = await fetch(`/api/v1${path}${qs(query)}`, { credentials: 'same-origin' });
  if (!res.ok) {
    const data = await res.json().catch(() => undefined);
    throw new ApiError(data?.code ? data : { statusCode: res.status, code: 'HTTP', message: `下载失败（${res.status}）`, messageEn: `Download failed (${res.status})` });
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/.exec(disposition);
  const name = match ? decodeURIComponent(match[1] ?? match[2]) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
