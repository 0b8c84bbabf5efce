import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { TEST_COST_ENV } from './test-cost-env.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The parent's environment without any HUSH_* variable, plus the test cost, so a test sets exactly what it means. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_') && v !== undefined) env[k] = v;
  return { ...env, ...TEST_COST_ENV, ...extra };
}

/** Runs `node bin/hush.js ...args` to completion (cwd: the repository). */
export function runHush(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/hush.js', ...args], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Starts an in-process server on an existing data dir (SQLite unless env says otherwise), logging nothing. */
export function startOn(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ HUSH_HOST: '127.0.0.1', HUSH_PORT: '0', HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'silent', ...TEST_COST_ENV, ...env });
  return startServer(config, { logger: pino({ level: 'silent' }) });
}
