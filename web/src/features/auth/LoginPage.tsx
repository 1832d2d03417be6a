import { Navigate, useNavigate } from 'react-router';
import { useAuth } from '../../shared/auth';
import { LoginForm, nextOf, serverPage } from './LoginForm';

/**
 * The application's /login route (after a logout or an expired session): the one login form (LoginForm, no Ant
 * Design), signing in through the app's auth so the profile is known at once. A first visit to /login does not get
 * here: main.tsx shows the same form before the application is loaded.
 */
export default function LoginPage() {
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const next = nextOf(window.location.search);
  const go = (mustChange: boolean) => {
    if (!mustChange && serverPage(next)) window.location.assign(next);
    else navigate(mustChange ? '/password' : next, { replace: true });
  };
  if (me && !me.mustChangePassword && serverPage(next)) {
    window.location.assign(next);
    return null;
  }
  if (me) return <Navigate to={me.mustChangePassword ? '/password' : next} replace />;
  return <LoginForm login={login} onDone={(user) => go(user.mustChangePassword)} />;
}
