import { type QueryKey, type UseQueryOptions, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { type ApiData, type ApiInit, type ApiPath, call } from './api';

/**
 * The cache key of a GET: `[path, params]` (the path is the OpenAPI template, e.g. `/api/v1/users/{id}`).
 * Invalidating `[path]` refreshes every cached variant of that route (every page, every filter).
 */
export function apiKey<P extends ApiPath<'get'>>(path: P, init?: ApiInit<'get', P>): QueryKey {
  const params = (init as { params?: unknown } | undefined)?.params;
  return params === undefined ? [path] : [path, params];
}

export type ApiQueryOptions<P extends ApiPath<'get'>, T = ApiData<'get', P>> = Omit<
  UseQueryOptions<ApiData<'get', P>, Error, T>,
  'queryKey' | 'queryFn'
>;
type Args<P extends ApiPath<'get'>, T> = undefined extends ApiInit<'get', P>
  ? [init?: ApiInit<'get', P>, options?: ApiQueryOptions<P, T>]
  : [init: ApiInit<'get', P>, options?: ApiQueryOptions<P, T>];

/**
 * Loads a GET route through the cache: typed by the generated document, cancelled when the component unmounts or
 * the params change (no stale answer can overwrite a newer one), refetched when a mutation invalidates it.
 *
 *   const { data, error, isLoading } = useApiQuery('/api/v1/users/{id}', { params: { path: { id } } });
 */
export function useApiQuery<P extends ApiPath<'get'>, T = ApiData<'get', P>>(
  path: P,
  ...[init, options]: Args<P, T>
): UseQueryResult<T, Error> {
  return useQuery({
    queryKey: apiKey(path, init),
    queryFn: ({ signal }) =>
      (call as (m: 'get', p: P, i: object) => Promise<ApiData<'get', P>>)('get', path, { ...init, signal }),
    ...options,
  });
}
