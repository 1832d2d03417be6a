/**
 * `npm run bench [-- name…]`: runs every `bench/*.bench.ts` (or the named ones) and prints their figures.
 * Each bench default-exports `async () => Record<string, number | string>`; figures that are ratios are measured
 * against a bare floor in the same run, so they mean the same on any machine.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !wanted.length || wanted.includes(f.replace('.bench.ts', '')))
  .sort();
for (const f of files) {
  const mod = (await import(`./${f}`)) as { default: () => Promise<Record<string, number | string>> };
  const t = Date.now();
  const figures = await mod.default();
  console.log(`\n== ${f.replace('.bench.ts', '')} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  for (const [k, v] of Object.entries(figures))
    console.log(`  ${k.padEnd(48)} ${typeof v === 'number' ? Number(v.toFixed(3)) : v}`);
}
process.exit(0);
