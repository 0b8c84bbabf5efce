/**
 * Building the console for the browser suite and the console benchmark.
 *
 * `web/dist` is stale when `web/dist/index.html` is missing or older than any source of the
 * console (web/src, web/public, web/index.html, web/vite.config.ts). Several processes may
 * share the checkout (vitest runs, benchmarks): a build takes a lock (an exclusive
 * directory), writes into a temporary folder and then swaps it in, so a server already
 * serving web/dist never sees a half-emptied folder for more than two renames.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => path.join(web, p));
const LOCK = path.join(root, 'node_modules', '.cache', 'hush-console-build.lock');
const LOCK_STALE_MS = 5 * 60_000;

/** Newest modification time under `p` (a file or a folder, recursively). */
function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Why the console must be (re)built, or null when web/dist is current. */
export function consoleBuildReason(): string | null {
  let built: number;
  try {
    built = fs.statSync(path.join(dist, 'index.html')).mtimeMs;
  } catch {
    return 'web/dist/index.html is missing';
  }
  const newest = Math.max(...SOURCES.map(newestMtime));
  return newest > built ? 'web/dist is older than the console sources' : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withLock<T>(fn: () => T): Promise<T> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 3 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A crashed build leaves its lock behind: take it over once it is clearly stale.
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for another console build (lock ${LOCK})`);
      else await sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Runs `vite build` into a temporary folder and swaps it in as web/dist (call under the lock). */
export function buildConsole(reason: string, log: (line: string) => void = (l) => void process.stderr.write(l)): void {
  const tmp = path.join(root, 'node_modules', '.cache', `hush-console-dist-${process.pid}`);
  const old = path.join(root, 'node_modules', '.cache', `hush-console-dist-old-${process.pid}`);
  log(`[console build] building the console (${reason})\n`);
  const started = Date.now();
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.ts', '--outDir', tmp, '--emptyOutDir', '--logLevel', 'warn'],
    // vite's own output goes to stderr: the benchmark's stdout carries only its JSON line.
    // NODE_ENV: vitest sets it to `test`, which would make vite bundle React's development build.
    { cwd: root, stdio: ['ignore', 2, 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`vite build --config web/vite.config.ts failed (exit ${r.status ?? r.signal})`);
  }
  if (fs.existsSync(dist)) fs.renameSync(dist, old);
  fs.renameSync(tmp, dist);
  fs.rmSync(old, { recursive: true, force: true });
  log(`[console build] built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** Builds the console when it is stale (or always with `force`); returns whether it built. */
export async function ensureConsoleBuilt(opts: { force?: boolean } = {}): Promise<boolean> {
  if (!opts.force && consoleBuildReason() === null) return false;
  return withLock(() => {
    // Another process may have built it while this one waited for the lock.
    const reason = opts.force ? 'forced' : consoleBuildReason();
    if (!reason) return false;
    buildConsole(reason);
    return true;
  });
}
