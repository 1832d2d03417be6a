import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';

/** A client error (4xx) will not change on retry; network failures and 5xx are retried once. */
function retry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 1;
}

/**
 * The one TanStack Query client of the app (App.tsx provides it). Queries refetch when they mount again or when a
 * mutation invalidates them, not when the window regains focus (that would reset half-filled forms built on them).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry, refetchOnWindowFocus: false, staleTime: 0 },
      mutations: { retry: false },
    },
  });
}
