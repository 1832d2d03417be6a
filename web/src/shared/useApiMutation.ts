import { type QueryKey, type UseMutationOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ApiData, type ApiInit, type ApiPath, call, type Method } from './api';

type WriteMethod = Exclude<Method, 'get'>;
/** What `mutate` takes: the call's init (`{ params, body }`), omitted when the route needs nothing. */
type Vars<M extends WriteMethod, P extends ApiPath<M>> = undefined extends ApiInit<M, P>
  ? // biome-ignore lint/suspicious/noConfusingVoidType: void is what lets `mutate()` go without an argument
    ApiInit<M, P> | void
  : ApiInit<M, P>;

export interface ApiMutationOptions<M extends WriteMethod, P extends ApiPath<M>>
  extends Omit<UseMutationOptions<ApiData<M, P>, Error, Vars<M, P>>, 'mutationFn'> {
  /** GET routes (or full query keys) to refetch after success, e.g. `['/api/v1/users']` (every page and filter). */
  invalidate?: (ApiPath<'get'> | QueryKey)[];
}

/**
 * A write through the typed client; on success the listed queries are invalidated (and `mutateAsync` resolves
 * after the visible ones have reloaded).
 *
 *   const disable = useApiMutation('patch', '/api/v1/users/{id}', { invalidate: ['/api/v1/users'] });
 *   await disable.mutateAsync({ params: { path: { id } }, body: { status: 'disabled' } });
 */
export function useApiMutation<M extends WriteMethod, P extends ApiPath<M>>(
  method: M,
  path: P,
  { invalidate = [], onSuccess, ...options }: ApiMutationOptions<M, P> = {},
) {
  const qc = useQueryClient();
  return useMutation<ApiData<M, P>, Error, Vars<M, P>>({
    mutationFn: (init) => (call as (m: M, p: P, i: unknown) => Promise<ApiData<M, P>>)(method, path, init ?? undefined),
    onSuccess: async (...args) => {
      await Promise.all(invalidate.map((k) => qc.invalidateQueries({ queryKey: typeof k === 'string' ? [k] : k })));
      await onSuccess?.(...args);
    },
    ...options,
  });
}
