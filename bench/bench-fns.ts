/** Shared helpers for benchmarks: percentiles, rounding, a temporary server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { startServer, type RunningServer, type StartOptions } from '../src/server/serve.ts';

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** A Hush server on SQLite in a temporary dir (or PostgreSQL when `databaseUrl` is given). */
export async function benchServer(env: Record<string, string> = {}, opts: StartOptions = {}): Promise<RunningServer & { dispose(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-'));
  const server = await startServer(
    loadConfig({ HUSH_HOST: '127.0.0.1', HUSH_PORT: '0', HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'warn', HUSH_ALLOW_PRIVATE_WEBHOOKS: '1', ...env }),
    { logDestination: { write: () => undefined }, ...opts },
  );
  return {
    ...server,
    async dispose() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const emit = (line: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(line) + '\n');
