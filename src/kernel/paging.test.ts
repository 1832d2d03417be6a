import { describe, expect, it } from 'vitest';
import { pageOf } from './paging.js';

describe('paging', () => {
  it('defaults, floors and caps page and pageSize', () => {
    expect(pageOf({})).toEqual({ page: 1, pageSize: 20, limit: 20, offset: 0 });
    expect(pageOf({ page: 3, pageSize: 50 })).toEqual({ page: 3, pageSize: 50, limit: 50, offset: 100 });
    expect(pageOf({ page: 0, pageSize: 10_000 })).toMatchObject({ page: 1, pageSize: 200 });
    expect(pageOf({ pageSize: 5000 }, { max: 1000 })).toMatchObject({ pageSize: 1000 });
  });
});
