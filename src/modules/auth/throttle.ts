/**
 * Login throttling (issue 12): failures are counted per (username, client address), whether the username exists or
 * not, so an outsider elsewhere can neither lock the owner out nor learn which usernames exist. Every `max` failures
 * in a row block the pair for `lockMinutes`, doubling each round (back-off), at most a day. A pair idle for a day
 * starts again.
 */
export interface ThrottleState {
  failures: number;
  blocked_until: Date | null;
  last_failure_at: Date;
}

export const IDLE_RESET_MS = 86_400_000;
const MAX_BLOCK_MS = 86_400_000;

/** Minutes (rounded up) the pair must still wait, or 0. */
export function blockedMinutes(state: ThrottleState | undefined, now: number): number {
  const until = state?.blocked_until?.getTime() ?? 0;
  return until > now ? Math.ceil((until - now) / 60_000) : 0;
}

/** The pair's state after one more failure, and how many attempts remain before the next block. */
export function afterFailure(
  state: ThrottleState | undefined,
  now: number,
  max: number,
  lockMinutes: number,
): { failures: number; blockedUntil: Date | null; remaining: number; blockMinutes: number } {
  const limit = Math.max(1, max);
  const previous = state && now - state.last_failure_at.getTime() < IDLE_RESET_MS ? state.failures : 0;
  const failures = previous + 1;
  if (failures % limit !== 0)
    return { failures, blockedUntil: null, remaining: limit - (failures % limit), blockMinutes: 0 };
  const round = failures / limit;
  const ms = Math.min(MAX_BLOCK_MS, lockMinutes * 60_000 * 2 ** Math.min(round - 1, 20));
  return { failures, blockedUntil: new Date(now + ms), remaining: 0, blockMinutes: Math.ceil(ms / 60_000) };
}
