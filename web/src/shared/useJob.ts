import type { ApiData } from './api';
import { useApiQuery } from './useApiQuery';

export type Job = ApiData<'get', '/api/v1/jobs/{id}'>;

/**
 * Follows a background job (imports, exports): polls `GET /api/v1/jobs/{id}` every `intervalMs` while it is queued
 * or running, and stops when it is done or failed. `percent` is 0–100 (100 once done).
 *
 *   const { job, percent, done, failed } = useJob(jobId);
 *   {job && <Progress percent={percent} status={failed ? 'exception' : done ? 'success' : 'active'} />}
 */
export function useJob(jobId: string | undefined, intervalMs = 500) {
  const q = useApiQuery(
    '/api/v1/jobs/{id}',
    { params: { path: { id: jobId ?? '' } } },
    {
      enabled: !!jobId,
      refetchInterval: (query) => {
        const s = query.state.data?.status;
        return s === 'done' || s === 'failed' || query.state.error ? false : intervalMs;
      },
    },
  );
  const job = jobId ? q.data : undefined;
  const done = job?.status === 'done';
  const failed = job?.status === 'failed';
  const percent = done ? 100 : job?.total ? Math.min(100, Math.round((job.progress / job.total) * 100)) : 0;
  return { job, percent, done, failed, finished: done || failed, error: q.error };
}
