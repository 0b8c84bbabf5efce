import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/serve.ts';
import { createTestSchema, TEST_PG_URL } from './pg-fns.ts';
import { TEST_COST_ENV } from './test-cost-env.ts';

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  readonly dialect: 'sqlite' | 'postgres';
  /** Captured server log lines (JSON text), for "never logs a secret" checks. */
  readonly logLines: string[];
  /** A user with a token, created through the services. */
  user(email?: string): Promise<{ id: string; email: string; token: string; password: string }>;
  /** Another server on the same data dir (and PostgreSQL schema) and configuration; the caller closes it. */
  startAgain(): Promise<RunningServer>;
  stop(): Promise<void>;
}

let counter = 0;

/** Starts a real Hush server on 127.0.0.1, port 0, with its own data dir (and PG schema). */
export async function startTestServer(opts: { dialect?: 'sqlite' | 'postgres'; env?: Record<string, string>; node?: Omit<StartOptions, 'logger' | 'pgSchema'> } = {}): Promise<TestServer> {
  const dialect = opts.dialect ?? 'sqlite';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-test-'));
  let dropSchema: (() => Promise<void>) | null = null;
  let pgSchema: string | undefined;
  const env: Record<string, string> = { HUSH_HOST: '127.0.0.1', HUSH_PORT: '0', HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'info', HUSH_ALLOW_PRIVATE_WEBHOOKS: '1', ...TEST_COST_ENV, ...opts.env };
  if (dialect === 'postgres') {
    if (!TEST_PG_URL) throw new Error('HUSH_TEST_DATABASE_URL is not set');
    const s = await createTestSchema(TEST_PG_URL);
    dropSchema = s.drop;
    pgSchema = s.schema;
    env.HUSH_DATABASE_URL = TEST_PG_URL;
    env.HUSH_MASTER_KEY ??= Buffer.alloc(32, 7).toString('base64');
  }
  const logLines: string[] = [];
  // The real logger (redaction and the server-wide masker) writing into memory.
  const logDestination = { write: (line: string) => void logLines.push(line) };
  const server = await startServer(loadConfig(env), { ...opts.node, logDestination, pgSchema });
  return {
    ...server,
    dataDir,
    dialect,
    logLines,
    async user(email) {
      const password = 'correct horse battery';
      const e = email ?? `user${++counter}-${Date.now()}@example.com`;
      const u = await server.services.auth.createUser(e, password);
      const t = await server.services.auth.issueToken(u.id, 'particle-api');
      return { id: u.id, email: u.email, token: t.accessToken, password };
    },
    startAgain: () => startServer(loadConfig(env), { ...opts.node, logDestination, pgSchema }),
    async stop() {
      await server.close();
      await dropSchema?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly text: string;
}

/** A small HTTP client for tests: JSON or form bodies, bearer token, parsed reply. */
export async function api(
  base: string,
  method: string,
  urlPath: string,
  opts: { token?: string; json?: unknown; form?: Record<string, string>; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.raw !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    body = opts.raw;
  }
  const res = await fetch(base + urlPath, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
