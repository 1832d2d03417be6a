/**
 * `npm start`: builds what is missing or older than its sources, then runs the platform in this process.
 * - The web UI (web/dist) is rebuilt only when its sources changed (issue 16: a restart on a field laptop or a server
 *   should not spend a minute rebuilding an unchanged UI).
 * - The server runs as JavaScript compiled to dist/ (tsconfig.build.json, about 8 s when a source changed): loading
 *   it takes a third of the time tsx needs to transpile src/ on every start (issue 19 item 3: restart to healthy
 *   ≤ 3 s). `npm run dev` and the tests run the TypeScript sources directly.
 * Plain JavaScript on purpose: this file runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (p) => path.join(ROOT, p);

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((n) => newest(path.join(p, n))));
}
const builtAt = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const WEB_SOURCES = ['web/src', 'web/public', 'web/sw', 'web/index.html', 'web/pwa.ts', 'web/vite.config.ts'];
const LOCK = 'package-lock.json';
const webBuilt = builtAt(at('web/dist/index.html'));
if (!webBuilt || webBuilt < Math.max(...[...WEB_SOURCES, LOCK].map((s) => newest(at(s))))) {
  run('npm', ['run', 'build:web']);
} else console.log('web UI is current (web/dist); not rebuilding');

const STAMP = at('dist/.built');
const serverBuilt = builtAt(STAMP);
if (
  !serverBuilt ||
  serverBuilt < Math.max(...['src', 'tsconfig.build.json', 'tsconfig.json', LOCK].map((s) => newest(at(s))))
) {
  console.log('compiling the server to dist/ …');
  rmSync(at('dist'), { recursive: true, force: true });
  run(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  // Files the server reads beside its code (migrations, the origin-map geo index, the EPCIS schema).
  const copy = (rel) => {
    for (const name of readdirSync(at(path.join('src', rel)))) {
      const from = path.join(rel, name);
      if (statSync(at(path.join('src', from))).isDirectory()) {
        if (name !== '__snapshots__') copy(from);
      } else if (!name.endsWith('.ts')) {
        mkdirSync(at(path.join('dist', rel)), { recursive: true });
        copyFileSync(at(path.join('src', from)), at(path.join('dist', from)));
      }
    }
  };
  copy('');
  writeFileSync(STAMP, new Date().toISOString());
}

// `npm run build`: build only (a deployment builds once per release).
if (!process.argv.includes('--build-only')) await import(pathToFileURL(at('dist/main.js')).href);
