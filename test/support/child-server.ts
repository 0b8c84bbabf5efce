/**
 * `hush serve` in a real child process, for tests that must kill the server (SIGKILL)
 * and start it again on the same data: the SQLite data dir, or the same PostgreSQL schema.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cleanEnv, REPO_ROOT } from './cli-fns.ts';
import { TEST_PG_URL, urlWithSchema } from './pg-fns.ts';

export interface ChildServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly pid: number;
  /** Everything the child printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Sends `signal` (default SIGKILL) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Graceful stop (SIGTERM), then SIGKILL if it takes longer than 10 s. */
  stop(): Promise<void>;
  /** Resolves with the exit code (null when ended by a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
}

export interface ChildServerOptions {
  readonly dataDir: string;
  /** PostgreSQL schema to run in (the server then uses `HUSH_TEST_DATABASE_URL`). */
  readonly pgSchema?: string;
  /** Extra environment (e.g. HUSH_WEBHOOK_RETRY_DELAYS_MS). */
  readonly env?: Record<string, string>;
  /** Extra node flags (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** How long to wait for the "Console and API" line (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** A fixed master key for PostgreSQL children: restarts must share it. */
export const CHILD_MASTER_KEY = Buffer.alloc(32, 9).toString('base64');

/** Spawns `node bin/hush.js serve` and resolves once it prints where it listens. */
export function startChildServer(opts: ChildServerOptions): Promise<ChildServer> {
  const env: Record<string, string> = {
    HUSH_HOST: '127.0.0.1',
    HUSH_PORT: '0',
    HUSH_DATA_DIR: opts.dataDir,
    HUSH_LOG_LEVEL: 'warn',
    HUSH_ALLOW_PRIVATE_WEBHOOKS: '1',
    ...opts.env,
  };
  if (opts.pgSchema !== undefined) {
    if (!TEST_PG_URL) throw new Error('HUSH_TEST_DATABASE_URL is not set');
    env.HUSH_DATABASE_URL = urlWithSchema(TEST_PG_URL, opts.pgSchema);
    env.HUSH_MASTER_KEY ??= CHILD_MASTER_KEY;
  }
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'bin/hush.js', 'serve'], {
    cwd: REPO_ROOT,
    env: cleanEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!gone) child.kill(signal);
    await exited;
  };
  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };

  return new Promise<ChildServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      void kill().then(() => reject(new Error(`hush serve did not start within ${opts.startTimeoutMs ?? 30_000} ms\nstdout: ${out}\nstderr: ${err}`)));
    }, opts.startTimeoutMs ?? 30_000);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`hush serve exited (${code ?? signal}) before it listened\nstdout: ${out}\nstderr: ${err}`));
    };
    child.once('exit', onExit);
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /Console and API: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m?.[1] === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      const url = m[1];
      resolve({
        url,
        pid: child.pid ?? 0,
        get stdout() {
          return out;
        },
        get stderr() {
          return err;
        },
        kill,
        stop,
        exited,
      });
    });
  });
}
