import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './app/App';
import './app/global.css';
import { startQueue } from './shared/offline/queue';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Field app (issue 16): the offline queue sends what was saved without signal; the service worker (built from
// web/sw/sw.ts) keeps the app shell and every page's code on the device after one visit.
startQueue();
if ('serviceWorker' in navigator && import.meta.env.PROD)
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }));
