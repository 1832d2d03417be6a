import { I18nProvider } from '../../shared/i18n';
import { LoginForm, type LoginUser, nextOf, postLogin, serverPage } from './LoginForm';

/** The profile kept on the device (shared/auth.tsx `suyuan.me`): someone signed in here before. */
const ME_KEY = 'suyuan.me';

/**
 * A first visit to /login (nobody remembered on this device) shows the login form before the application is loaded
 * (issue 16: interactive within 3 s on 3G). Everything else starts the application at once.
 */
export const loginFirst = () => window.location.pathname === '/login' && !localStorage.getItem(ME_KEY);

/**
 * The login page without the application: logs in with plain fetch, keeps the profile as the app does, moves to
 * `?next=` (or the password change) and hands over to the application (`showApp`), which reads its session as usual.
 */
export function LoginShell({ prefetch, showApp }: { prefetch(): void; showApp(): void }) {
  const done = (user: LoginUser) => {
    const next = nextOf(window.location.search);
    if (!user.mustChangePassword && serverPage(next)) {
      window.location.assign(next);
      return;
    }
    localStorage.setItem(ME_KEY, JSON.stringify(user));
    window.history.replaceState(null, '', user.mustChangePassword ? '/password' : next);
    showApp();
  };
  return (
    <I18nProvider>
      <LoginForm login={postLogin} onDone={done} prefetch={prefetch} />
    </I18nProvider>
  );
}
