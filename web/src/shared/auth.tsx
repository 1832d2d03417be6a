import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, get, onUnauthorized, post } from './api';

export interface Profile {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  orgId: string;
  orgName: string;
  orgKind: string;
  scope: string;
  scopeName: string;
  roles: { code: string; zh: string; en: string }[];
  verbs: string[];
  mustChangePassword: boolean;
  lastLoginAt: string | null;
}

interface Auth {
  /** undefined while loading, null when logged out. */
  me: Profile | null | undefined;
  can(verb: string): boolean;
  login(username: string, password: string): Promise<Profile>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const Ctx = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Profile | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setMe(await get<Profile>('/auth/me'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else throw e;
    }
  }, []);
  useEffect(() => {
    refresh().catch(() => setMe(null));
    return onUnauthorized(() => setMe(null));
  }, [refresh]);
  const value = useMemo<Auth>(
    () => ({
      me,
      can: (verb) => !!me?.verbs.includes(verb),
      login: async (username, password) => {
        const res = await post<{ user: Profile }>('/auth/login', { username, password });
        setMe(res.user);
        return res.user;
      },
      logout: async () => {
        await post('/auth/logout').catch(() => {});
        setMe(null);
      },
      refresh,
    }),
    [me, refresh],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(Ctx);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
