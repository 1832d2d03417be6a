import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/global.css';
import { LoginShell, loginFirst } from './features/auth/LoginShell';

const root = createRoot(document.getElementById('root') as HTMLElement);

/**
 * The application (Ant Design, the router, every page's route) is a chunk of its own: a first visit to /login shows
 * the login form without it (issue 16, "fast on weak signal"; the form starts loading it when the user starts typing).
 */
const loadApp = () => import('./app/App');

async function showApp() {
  const { default: App } = await loadApp();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // Field app (issue 16): the offline queue sends what was saved without signal.
  const { startQueue } = await import('./shared/offline/queue');
  startQueue();
}

if (loginFirst())
  root.render(
    <StrictMode>
      <LoginShell prefetch={() => void loadApp()} showApp={() => void showApp()} />
    </StrictMode>,
  );
else void showApp();

// The service worker (built from web/sw/sw.js) keeps the app shell and every page's code on the device after one visit.
if ('serviceWorker' in navigator && import.meta.env.PROD)
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }));
