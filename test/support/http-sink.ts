/**
 * A real HTTP server on 127.0.0.1 (random port) that records every request, for webhook
 * tests. Answers 200 `{"ok":true}` unless a handler says otherwise; handlers can delay,
 * fail or hang to exercise timeouts and retries.
 */
import http from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received, e.g. `/hook?x=1`. */
  readonly url: string;
  /** Lower-case header names, as Node parses them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The client's source port: equal ports on two requests mean one kept-alive connection. */
  readonly remotePort: number;
  readonly receivedAt: number;
}

/** Writes the response for a recorded request (may be async; may never respond). */
export type SinkHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface HttpSink {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, in arrival order (recorded before the handler runs). */
  readonly requests: RecordedRequest[];
  /** Resolves once at least `n` requests arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Replaces the handler; no argument restores the default 200 `{"ok":true}`. */
  setHandler(fn?: SinkHandler): void;
  /** Closes the server and every open (even hung) connection. */
  close(): Promise<void>;
}

export interface HttpSinkOptions {
  readonly handler?: SinkHandler;
}

/** Responds with `status` and a body (objects are sent as JSON). */
export function respondWith(status: number, body: unknown = { ok: status < 400 }): SinkHandler {
  return (_req, res) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    res.end(text);
  };
}

/** Waits `ms` before letting `then` (default: 200 `{"ok":true}`) respond. */
export function delayed(ms: number, then: SinkHandler = respondWith(200)): SinkHandler {
  return (req, res) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(then(req, res)), ms);
      res.on('close', () => clearTimeout(timer));
    });
}

/** Never responds (until the client gives up or the sink closes). */
export const hang: SinkHandler = () => undefined;

const defaultHandler = respondWith(200, { ok: true });

/** Starts a sink; remember to `close()` it in `afterEach`/`afterAll`. */
export async function startHttpSink(opts: HttpSinkOptions = {}): Promise<HttpSink> {
  const requests: RecordedRequest[] = [];
  let handler: SinkHandler = opts.handler ?? defaultHandler;
  const waiters = new Set<() => void>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort ?? 0,
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      for (const wake of waiters) wake();
      Promise.resolve(handler(recorded, res)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    waitFor(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (requests.length < n) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve([...requests]);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`http sink: expected ${n} request(s) within ${timeoutMs} ms, got ${requests.length}`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    setHandler(fn) {
      handler = fn ?? defaultHandler;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
