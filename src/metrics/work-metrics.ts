import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Db } from '../store/database-types.ts';

/**
 * What became of one delivery attempt, each attempt counted once: `sent` (answered 2xx),
 * `retried` (failed, a retry is scheduled), `dead` (failed with no retry left, or refused
 * as undeliverable), `dropped` (its integration was deleted or disabled meanwhile). Failed
 * attempts are `retried + dead`.
 */
export type DeliveryOutcome = 'sent' | 'retried' | 'dead' | 'dropped';

/** The delivery worker's and the Logic runner's view of the metrics (no-ops when off). */
export interface WorkObserver {
  delivery(outcome: DeliveryOutcome, sendSeconds: number | null): void;
  /** One finished Logic run (`status` is the bounded RunStatus set). */
  logicRun(status: string, seconds: number): void;
  /** Registers where the sandbox gauges read this node's workers (the Logic module, once). */
  sandboxes(read: () => { readonly workers: number; readonly busy: number }): void;
}

/** Send times range from a loopback answer to the 20 s deadline. */
const SEND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

const QUEUES = [
  ['deliveries', 'deliveries'],
  ['logic', 'logic_jobs'],
] as const;

/**
 * Delivery and Logic counters, and queue gauges read from the database at scrape time (one
 * grouped query per queue), so every node reports the cluster's queue, not only its own.
 */
export function registerWorkMetrics(registry: Registry, deps: { readonly db: Db | null; readonly now: () => number }): WorkObserver {
  const deliveries = new Counter({ name: 'hush_deliveries_total', help: 'Webhook delivery attempts by outcome (sent, retried, dead, dropped)', labelNames: ['outcome'], registers: [registry] });
  const sendSeconds = new Histogram({ name: 'hush_delivery_send_duration_seconds', help: 'Time from sending a webhook request to its answer (or failure)', buckets: SEND_BUCKETS, registers: [registry] });
  const runs = new Counter({ name: 'hush_logic_runs_total', help: 'Logic runs finished, by status', labelNames: ['status'], registers: [registry] });
  const runSeconds = new Histogram({ name: 'hush_logic_run_duration_seconds', help: 'Time a Logic run spent in its sandbox', buckets: SEND_BUCKETS, registers: [registry] });
  let sandboxes: () => { readonly workers: number; readonly busy: number } = () => ({ workers: 0, busy: 0 });
  new Gauge({ name: 'hush_logic_workers', help: 'Sandbox worker threads on this node', registers: [registry], collect() { this.set(sandboxes().workers); } });
  new Gauge({ name: 'hush_logic_workers_busy', help: 'Sandbox worker threads running a Logic run or a validation now', registers: [registry], collect() { this.set(sandboxes().busy); } });
  const db = deps.db;
  if (db) {
    type QueueRow = { queue: string; waiting: number; leased: number; oldestSeconds: number };
    // Both gauges are collected concurrently at a scrape: they share one read of the queues.
    let reading: Promise<QueueRow[]> | null = null;
    const read = () =>
      (reading ??= readQueues(db, deps.now).finally(() => {
        setImmediate(() => (reading = null));
      }));
    new Gauge({
      name: 'hush_queue_depth', help: 'Items in a durable queue (deliveries, logic), waiting or leased', labelNames: ['queue', 'state'], registers: [registry],
      async collect() {
        for (const r of await read()) {
          this.set({ queue: r.queue, state: 'waiting' }, r.waiting);
          this.set({ queue: r.queue, state: 'leased' }, r.leased);
        }
      },
    });
    new Gauge({
      name: 'hush_queue_oldest_waiting_seconds', help: 'Age of the oldest waiting item of a queue (0 when none waits)', labelNames: ['queue'], registers: [registry],
      async collect() {
        for (const r of await read()) this.set({ queue: r.queue }, r.oldestSeconds);
      },
    });
  }
  return {
    delivery(outcome, seconds) {
      deliveries.inc({ outcome });
      if (seconds !== null) sendSeconds.observe(seconds);
    },
    logicRun(status, seconds) {
      runs.inc({ status });
      runSeconds.observe(seconds);
    },
    sandboxes(read) {
      sandboxes = read;
    },
  };
}

/** The observer when metrics are off. */
export const NO_WORK_METRICS: WorkObserver = { delivery: () => undefined, logicRun: () => undefined, sandboxes: () => undefined };

async function readQueues(db: Db, now: () => number): Promise<Array<{ queue: string; waiting: number; leased: number; oldestSeconds: number }>> {
  const out = [];
  for (const [queue, table] of QUEUES) {
    const rows = await sql<{ status: string; n: number | string; first: number | string | null }>`select status, count(*) as n, min(created_ms) as first from ${sql.table(table)} group by status`.execute(db);
    const waiting = rows.rows.find((r) => r.status === 'queued');
    const leased = rows.rows.filter((r) => r.status !== 'queued').reduce((n, r) => n + Number(r.n), 0);
    out.push({ queue, waiting: Number(waiting?.n ?? 0), leased, oldestSeconds: waiting?.first == null ? 0 : Math.max(0, (now() - Number(waiting.first)) / 1000) });
  }
  return out;
}
