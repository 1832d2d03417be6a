import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { mayDo, setActingFor } from './actingFor';
import { ApiError, type ApiData, http, onUnauthorized } from './api';

/** The signed-in account as `GET /api/v1/auth/me` describes it. */
export type Profile = ApiData<'get', '/api/v1/auth/me'>;

interface Auth {
  /** undefined while loading, null when logged out. */
  me: Profile | null | undefined;
  can(verb: string): boolean;
  login(username: string, password: string): Promise<Profile>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const Ctx = createContext<Auth | null>(null);

/**
 * The last profile, kept on the device so the field app opens without signal (issue 16): the server still checks
 * every request, and queued writes wait until it answers. Cleared on logout and on any 401.
 */
const ME_KEY = 'suyuan.me';
function remember<T extends Profile | null>(p: T): T {
  if (p) localStorage.setItem(ME_KEY, JSON.stringify(p));
  else localStorage.removeItem(ME_KEY);
  return p;
}
function remembered(): Profile | null {
  try {
    return JSON.parse(localStorage.getItem(ME_KEY) ?? 'null') as Profile | null;
  } catch {
    return null;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [me, setMe] = useState<Profile | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setMe(remember(await http.get('/api/v1/auth/me')));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(remember(null));
      else if (e instanceof ApiError && e.problem.code === 'NETWORK' && remembered()) setMe(remembered());
      else throw e;
    }
  }, []);
  useEffect(() => {
    refresh().catch(() => setMe(null));
    return onUnauthorized(() => setMe(remember(null)));
  }, [refresh]);
  const value = useMemo<Auth>(
    () => ({
      me,
      can: (verb) => !!me && mayDo(me, verb),
      login: async (username, password) => {
        const res = await http.post('/api/v1/auth/login', { body: { username, password } });
        // Nothing cached for the previous account may show to this one.
        queryClient.removeQueries();
        setMe(remember(res.user));
        return res.user;
      },
      logout: async () => {
        // A session opened through the upper platform also ends there (RP-initiated logout, docs/sso.md).
        const out = await http.post('/api/v1/sso/logout').catch(() => null);
        setActingFor(null);
        queryClient.removeQueries();
        setMe(remember(null));
        if (out?.redirectTo) window.location.assign(out.redirectTo);
      },
      refresh,
    }),
    [me, refresh, queryClient],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(Ctx);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
