/**
 * Build steps of the field app (issue 16), as one Vite plugin:
 *  - the service worker: web/sw/sw.js with the build's file list (every page's code, the shell, the manifest)
 *    and a version from their names, emitted as /sw.js;
 *  - precompression: every text asset also as .br (brotli 11) and .gz (gzip 9), served by @fastify/static
 *    (`preCompressed`) to clients that accept them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;
const SW_SOURCE = new URL('./sw/sw.js', import.meta.url);

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
  });
}

export function fieldApp(): Plugin {
  let outDir = '';
  return {
    name: 'suyuan-field-app',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    generateBundle(_, bundle) {
      const built = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'index.html');
      const precache = ['/index.html', ...built.map((f) => `/${f}`)].sort();
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(SW_SOURCE, 'utf8')
        .replace("'__SW_VERSION__'", JSON.stringify(version))
        .replace('__SW_PRECACHE__', JSON.stringify(precache));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
    closeBundle() {
      // public/ files (manifest, icons) are copied after generateBundle: list them in the worker here.
      const swPath = path.join(outDir, 'sw.js');
      const publicFiles = filesUnder(path.join(outDir, '..', 'public')).map((f) => `/${f}`);
      const sw = readFileSync(swPath, 'utf8').replace(/const PRECACHE = (\[.*?\]);/, (_, list: string) => {
        const all = [...new Set([...JSON.parse(list), ...publicFiles])].sort();
        return `const PRECACHE = ${JSON.stringify(all)};`;
      });
      writeFileSync(swPath, sw);
      for (const rel of filesUnder(outDir)) {
        if (!COMPRESSIBLE.test(rel)) continue;
        const file = path.join(outDir, rel);
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
          }),
        );
      }
    },
  };
}
