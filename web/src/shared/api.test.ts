import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The client runs in the browser, where relative URLs resolve against the page; give Node the same.
class PageRequest extends Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, 'http://suyuan.test/') : input, init);
  }
}
vi.stubGlobal('Request', PageRequest);
vi.stubGlobal('location', { href: 'http://suyuan.test/' });

let api: typeof import('./api');
beforeAll(async () => {
  api = await import('./api');
});
// Test files share a worker (vitest `isolate: false`): give the next file the real fetch, Request and location back.
afterAll(() => {
  vi.unstubAllGlobals();
});

const seen: Request[] = [];
function answer(status: number, body?: unknown, headers: Record<string, string> = {}) {
  seen.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      seen.push(req);
      return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json', ...headers },
      });
    }),
  );
}

describe('the typed API client', () => {
  it('fills path parameters, leaves empty query values out and resolves to the body', async () => {
    answer(200, { items: [], total: 0, page: 2, pageSize: 20 });
    const res = await api.http.get('/api/v1/users', { params: { query: { q: '', page: 2, orgId: undefined } } });
    expect(res.page).toBe(2);
    expect(new URL(seen[0].url).pathname + new URL(seen[0].url).search).toBe('/api/v1/users?page=2');
    expect(seen[0].credentials).toBe('same-origin');

    answer(200, { id: 'u1' });
    await api.http.patch('/api/v1/users/{id}', { params: { path: { id: 'a/b' } }, body: { status: 'disabled' } });
    expect(new URL(seen[0].url).pathname).toBe('/api/v1/users/a%2Fb');
    expect(seen[0].method).toBe('PATCH');
    expect(seen[0].headers.get('content-type')).toBe('application/json');
    expect(await seen[0].json()).toEqual({ status: 'disabled' });
  });

  it("throws ApiError with the server's catalogued problem, and tells the listeners about a 401", async () => {
    const problem = {
      statusCode: 409,
      code: 'DUPLICATE',
      message: '用户名已存在',
      messageEn: 'taken',
      field: 'username',
    };
    answer(409, problem);
    const e = await api.http.post('/api/v1/users', { body: {} as never }).catch((x) => x);
    expect(e).toBeInstanceOf(api.ApiError);
    expect(e.problem).toEqual(problem);
    expect([e.status, e.localized('en'), e.localized('zh')]).toEqual([409, 'taken', '用户名已存在']);

    const gone = vi.fn();
    const off = api.onUnauthorized(gone);
    answer(401, { statusCode: 401, code: 'UNAUTHENTICATED', message: '请先登录', messageEn: 'Log in first' });
    await expect(api.http.get('/api/v1/auth/me')).rejects.toBeInstanceOf(api.ApiError);
    expect(gone).toHaveBeenCalledTimes(1);
    // A wrong password at login is not a lost session.
    await expect(api.http.post('/api/v1/auth/login', { body: { username: 'a', password: 'b' } })).rejects.toThrow();
    expect(gone).toHaveBeenCalledTimes(1);
    off();

    answer(502, '<html>bad gateway</html>', { 'content-type': 'text/html' });
    const bad = await api.http.get('/api/v1/roles').catch((x) => x);
    expect(bad.problem).toMatchObject({ statusCode: 502, code: 'HTTP', messageEn: 'Request failed (502)' });
  });

  it('turns a network failure into a NETWORK problem but lets a cancellation through', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const e = await api.http.get('/api/v1/roles').catch((x) => x);
    expect(e.problem.code).toBe('NETWORK');
    expect(e.localized('zh')).toContain('网络');

    const ctl = new AbortController();
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        ctl.abort();
        throw req.signal.reason ?? new DOMException('aborted', 'AbortError');
      }),
    );
    const aborted = await api.http.get('/api/v1/roles', { signal: ctl.signal }).catch((x) => x);
    expect(aborted).not.toBeInstanceOf(api.ApiError);
    expect(aborted.name).toBe('AbortError');
  });

  it('uploads a FormData as multipart and a file as its raw body', async () => {
    answer(201, { id: 'f1' });
    const form = new FormData();
    form.set('file', new Blob(['x'], { type: 'image/png' }), 'a.png');
    await api.upload('/api/v1/files', form, { params: { query: { purpose: 'image' } } as never });
    expect(seen[0].headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);

    answer(202, { importId: 'i', jobId: 'j' });
    const xlsx = new Blob(['PK'], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    await api.upload('/api/v1/origin/imports', xlsx, { params: { query: { fileName: '表.xlsx' } } as never });
    expect(seen[0].headers.get('content-type')).toBe(xlsx.type);
    expect(await seen[0].text()).toBe('PK');
  });

  it('sends X-Acting-For on every call while an agency acts for a producer, downloads included', async () => {
    const store = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    });
    const click = vi.fn();
    vi.stubGlobal('document', { createElement: () => ({ click }) });
    const { setActingFor } = await import('./actingFor');
    const acting = () => seen[0].headers.get('x-acting-for');

    answer(200, []);
    await api.http.get('/api/v1/batches', { params: { query: {} } } as never);
    expect(acting()).toBeNull();

    setActingFor({ subjectId: 's-1', name: '温泉合作社' });
    answer(200, []);
    await api.http.get('/api/v1/batches', { params: { query: {} } } as never);
    expect(acting()).toBe('s-1');
    answer(201, { id: 'f1' });
    await api.upload('/api/v1/files', new FormData(), { params: { query: { purpose: 'image' } } as never });
    expect(acting()).toBe('s-1');
    answer(200, 'pdf', { 'content-type': 'application/pdf' });
    await api.download('/api/v1/certificates/{id}/pdf', { params: { path: { id: 'c1' } } }, 'c.pdf');
    expect(acting()).toBe('s-1');
    answer(200, 'pdf', { 'content-type': 'application/pdf' });
    await api.downloadPost(
      '/api/v1/batches/{id}/labels',
      { params: { path: { id: 'b1' } }, body: { size: '40x30', count: 1 } } as never,
      'labels.pdf',
    );
    expect(acting()).toBe('s-1');
    expect(seen[0].method).toBe('POST');
    expect(click).toHaveBeenCalledTimes(2);

    setActingFor(null);
    answer(200, []);
    await api.http.get('/api/v1/batches', { params: { query: {} } } as never);
    expect(acting()).toBeNull();
  });

  it('reads the RFC 5987 file name first', () => {
    expect(
      api.fileNameOf(`attachment; filename="a.xlsx"; filename*=UTF-8''%E4%B8%80%E5%BC%A0%E8%A1%A8.xlsx`, 'x'),
    ).toBe('一张表.xlsx');
    expect(api.fileNameOf('attachment; filename="plain.pdf"', 'x')).toBe('plain.pdf');
    expect(api.fileNameOf(null, 'fallback.xlsx')).toBe('fallback.xlsx');
  });
});
