import { type FormEvent, useEffect, useState } from 'react';
import type { ApiData, Problem } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import './login.css';

/**
 * The login form without Ant Design, React Router or TanStack Query (issue 16, "fast on weak signal"): the login page
 * is the first page a phone opens, often on 3G, so it must be interactive within 3 s at 750 kbps and 300 ms. Its
 * chunk holds React and this form; the application (Ant Design, the router, every page) is loaded in the background
 * once the user starts typing (`prefetch`) and shown after the login (main.tsx). The same form serves the
 * application's own /login route (LoginPage.tsx), so there is one login form.
 */
export type LoginUser = ApiData<'post', '/api/v1/auth/login'>['user'];

export class LoginProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

const NETWORK: Problem = {
  statusCode: 0,
  code: 'NETWORK',
  message: '网络连接失败，请检查网络后重试',
  messageEn: 'Network error; check your connection and retry',
};

/** POST /api/v1/auth/login with plain fetch: the answer's user, or a LoginProblem with the server's zh/en reason. */
export async function postLogin(username: string, password: string): Promise<LoginUser> {
  let res: Response;
  try {
    res = await fetch('/api/v1/auth/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new LoginProblem(NETWORK);
  }
  const data = await res.json().catch(() => undefined);
  if (!res.ok)
    throw new LoginProblem(
      data?.code
        ? (data as Problem)
        : {
            ...NETWORK,
            statusCode: res.status,
            message: `登录失败（${res.status}）`,
            messageEn: `Login failed (${res.status})`,
          },
    );
  return (data as ApiData<'post', '/api/v1/auth/login'>).user;
}

/** Where to go after the login: `?next=` of the current address, `/` by default. */
export const nextOf = (search: string) => new URLSearchParams(search).get('next') || '/';
/** The OpenID provider's sign-in interaction (`/oidc/...`) is served by the server, not by this app's router. */
export const serverPage = (path: string) => path.startsWith('/oidc/');

export function LoginForm({
  login,
  onDone,
  prefetch,
}: {
  login(username: string, password: string): Promise<LoginUser>;
  onDone(user: LoginUser): void;
  /** Called once when the user first focuses a field: load what comes after the login meanwhile. */
  prefetch?: () => void;
}) {
  const { t, lang, setLang } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [error, setError] = useState<Problem>();
  const [submitting, setSubmitting] = useState(false);
  const [sso, setSso] = useState(false);
  const next = nextOf(window.location.search);

  useEffect(() => {
    let live = true;
    fetch('/api/v1/sso/status', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : undefined))
      .then((s: ApiData<'get', '/api/v1/sso/status'> | undefined) => live && setSso(!!s?.available))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const m = { username: !username.trim(), password: !password };
    setMissing(m);
    if (m.username || m.password) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const user = await login(username.trim(), password);
      onDone(user);
    } catch (x) {
      setError(x instanceof LoginProblem ? x.problem : { ...NETWORK, message: String(x), messageEn: String(x) });
    } finally {
      setSubmitting(false);
    }
  };
  const field = error?.field;

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} onFocus={prefetch} noValidate>
        <h1 className="login-title">{t('溯源', 'Suyuan')}</h1>
        <p className="login-sub">
          {t('国家农产品质量安全追溯管理信息平台', 'Agricultural product quality-safety traceability platform')}
        </p>
        {error && !field && (
          <div className="login-error" role="alert" data-testid="error">
            {lang === 'en' ? error.messageEn : error.message}
          </div>
        )}
        <label className="login-label" htmlFor="login-username">
          {t('用户名', 'Username')}
        </label>
        <input
          id="login-username"
          className={missing.username || field === 'username' ? 'login-input invalid' : 'login-input'}
          autoComplete="username"
          autoCapitalize="none"
          data-testid="login-username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        {(missing.username || field === 'username') && (
          <div className="login-field-error">
            {field === 'username' && error
              ? lang === 'en'
                ? error.messageEn
                : error.message
              : t('请输入用户名', 'Enter your username')}
          </div>
        )}
        <label className="login-label" htmlFor="login-password">
          {t('密码', 'Password')}
        </label>
        <input
          id="login-password"
          type="password"
          className={missing.password || field === 'password' ? 'login-input invalid' : 'login-input'}
          autoComplete="current-password"
          data-testid="login-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {(missing.password || field === 'password') && (
          <div className="login-field-error">
            {field === 'password' && error
              ? lang === 'en'
                ? error.messageEn
                : error.message
              : t('请输入密码', 'Enter your password')}
          </div>
        )}
        <button type="submit" className="login-button primary" disabled={submitting} data-testid="login-submit">
          {submitting ? t('登录中…', 'Logging in…') : t('登录', 'Log in')}
        </button>
        {sso && (
          <a
            className="login-button"
            href={`/api/v1/sso/login?next=${encodeURIComponent(serverPage(next) ? '/' : next)}`}
            data-testid="login-sso"
          >
            {t('通过上级平台登录', 'Sign in with the upper platform')}
          </a>
        )}
        <div className="login-links">
          <span>
            <a href="/register">{t('生产经营主体注册', 'Producer registration')}</a>
            <a href="/agency-register">{t('服务机构注册', 'Agency registration')}</a>
          </span>
          <button type="button" className="login-lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </button>
        </div>
      </form>
    </div>
  );
}
