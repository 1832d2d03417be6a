/**
 * `npm start` builds the web UI only when it is missing or older than its sources (issue 16): a restart on a
 * phone-field laptop or a server should not spend a minute rebuilding an unchanged UI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = [
  'web/src',
  'web/public',
  'web/sw',
  'web/index.html',
  'web/pwa.ts',
  'web/vite.config.ts',
  'package-lock.json',
];
const BUILT = path.join(ROOT, 'web/dist/index.html');

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((n) => newest(path.join(p, n))));
}

const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
const source = Math.max(...SOURCES.map((s) => newest(path.join(ROOT, s))));
if (built && built >= source) {
  console.log('web UI is current (web/dist); not rebuilding');
} else {
  const r = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
