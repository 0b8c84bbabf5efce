/**
 * Console bundle benchmark: builds the console (unless HUSH_BENCH_NO_BUILD=1 and web/dist
 * exists) and reports what the first page downloads: the entry chunk plus everything it
 * imports statically, raw and gzipped, plus the stylesheet. Fails when the first-load
 * JavaScript is above the budget (250 KiB gzipped).
 *
 *   node --import tsx bench/console.bench.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KIB = 250;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'web', 'dist');

let buildSeconds: number | null = null;
if (process.env.HUSH_BENCH_NO_BUILD !== '1' || !fs.existsSync(path.join(dist, 'index.html'))) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  buildSeconds = Number(((performance.now() - started) / 1000).toFixed(2));
}

const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const entry = /<script[^>]+src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
if (!entry) throw new Error('no entry script in web/dist/index.html');

/** The entry and its static imports, transitively (dynamic imports are lazy routes). */
const firstLoad = new Set<string>();
const walk = (file: string): void => {
  if (firstLoad.has(file)) return;
  firstLoad.add(file);
  const code = fs.readFileSync(path.join(dist, file), 'utf8');
  for (const m of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    walk(path.posix.join(path.posix.dirname(file), m[1]!));
  }
};
walk(entry);

const size = (files: Iterable<string>) => {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dist, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw: raw / 1024, gz: gz / 1024 };
};
const kib = (n: number) => Number(n.toFixed(1));

const js = size(firstLoad);
const css = size([...html.matchAll(/href="\/(assets\/[^"]+\.css)"/g)].map((m) => m[1]!));
const allJs = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const total = size(allJs.map((f) => `assets/${f}`));

console.log(
  JSON.stringify({
    bench: 'console',
    first_load_js_gzip_kib: kib(js.gz),
    first_load_js_raw_kib: kib(js.raw),
    first_load_files: firstLoad.size,
    budget_kib: BUDGET_KIB,
    css_gzip_kib: kib(css.gz),
    all_js_gzip_kib: kib(total.gz),
    chunks: allJs.length,
    build_s: buildSeconds,
  }),
);
if (js.gz > BUDGET_KIB) {
  process.stderr.write(`first-load JavaScript is ${kib(js.gz)} KiB gzipped, above the ${BUDGET_KIB} KiB budget\n`);
  process.exit(1);
}
