/**
 * Parts of the webhook-pipeline benchmark: the sink and the bare forwarding proxy (each in a
 * process of its own), the closed publishing loop and small helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

export const CONCURRENCY = 64;
/** The signing key of the signing-on server (Standard Webhooks form). */
export const SIGNING_KEY = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const SECRETS = { A: 'bench-secret-aaaa-0123456789', B: 'bench-secret-bbbb-9876543210', C: 'bench-secret-cccc-5647382910' };

export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- sink (another process) ------------------------------------------------------------
const SINK_SCRIPT = `
const http = require('node:http');
let out = [];
const flush = () => { if (out.length) { process.stdout.write(out.join('')); out = []; } };
setInterval(flush, 20);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const t = performance.timeOrigin + performance.now();
    let seq = '-', id = '-';
    try { const j = JSON.parse(Buffer.concat(chunks).toString('utf8')); seq = j.seq ?? '-'; id = j.id ?? '-'; } catch {}
    out.push(t.toFixed(3) + ' ' + seq + ' ' + id + ' ' + (req.headers['webhook-signature'] ? 's' : '-') + '\\n');
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    res.end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + server.address().port + '\\n'));
`;

// ---- floor: a bare forwarding proxy (another process) -------------------------------------
// Not Hush: a plain Node HTTP server that answers each POST at once and forwards its body to
// the sink with an undici pool, with no auth, storage, templates or logs. It shows what any
// server that receives an event and sends one request per event reaches on these cores.
const PROXY_SCRIPT = `
const http = require('node:http');
const { Pool } = require(process.argv[1]);
const sink = new Pool(process.argv[2], { connections: 128 });
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    res.end('{"ok":true}');
    sink.request({ method: 'POST', path: req.url, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
      .then((r) => r.body.dump(), () => undefined);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + server.address().port + '\\n'));
`;

export async function startProxy(sinkUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const undiciPath = createRequire(import.meta.url).resolve('undici');
  const child = spawn(process.execPath, ['-e', PROXY_SCRIPT, undiciPath, sinkUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`proxy exited ${c}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const m = /PORT (\d+)/.exec(chunk);
      if (m) resolve(Number(m[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

export interface Arrival {
  readonly t: number;
  readonly seq: string;
}

export async function startSink(): Promise<{ url: string; arrivals: Arrival[]; counts: Map<string, number>; signed: Map<string, number>; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SINK_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const arrivals: Arrival[] = [];
  /** Arrivals per phase (the first character of the event data). */
  const counts = new Map<string, number>();
  /** Arrivals per phase that carried a `webhook-signature` header. */
  const signed = new Map<string, number>();
  let buf = '';
  let port = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`sink exited ${c}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (buf + chunk).split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('PORT ')) {
          port = Number(line.slice(5));
          resolve();
          continue;
        }
        const [t, seq = '-', , sig] = line.split(' ');
        arrivals.push({ t: Number(t), seq });
        counts.set(seq.charAt(0), (counts.get(seq.charAt(0)) ?? 0) + 1);
        if (sig === 's') signed.set(seq.charAt(0), (signed.get(seq.charAt(0)) ?? 0) + 1);
      }
    });
  });
  return { url: `http://127.0.0.1:${port}`, arrivals, counts, signed, child };
}

// ---- helpers ------------------------------------------------------------------------------
/** CPU time (user + system, ms) a process has used so far, from /proc (null elsewhere). */
export function cpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
export const round = (n: number, d = 2) => Number(n.toFixed(d));

export async function waitUntil(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Runs `CONCURRENCY` loops calling `once(n)` until `untilMs` (epoch); returns successes. */
export async function closedLoop(untilMs: number, once: (n: number) => Promise<boolean>): Promise<number> {
  let seq = 0;
  let ok = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (now() < untilMs) {
        if (await once(seq++)) ok++;
        else await sleep(5);
      }
    }),
  );
  return ok;
}
