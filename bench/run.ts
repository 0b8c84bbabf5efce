/**
 * `npm run bench [-- name ...]`: runs each `bench/<name>.bench.ts` in its own process,
 * one after another (they measure throughput, so they must not share the two cores),
 * passing their JSON lines through.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const all = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const chosen = wanted.length > 0 ? all.filter((n) => wanted.includes(n)) : all;
if (chosen.length === 0) {
  process.stderr.write(`no benchmark matches ${wanted.join(', ')}; available: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen) {
  process.stderr.write(`[bench] ${name}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${name}.bench.ts`)], { stdio: 'inherit', env: { HUSH_TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', ...process.env, HUSH_LOG_LEVEL: 'warn' } });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`[bench] ${name} failed with exit code ${r.status}\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
