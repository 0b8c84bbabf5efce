/** What the fair queue needs to know of a job: whose it is, and whether it may share a batch. */
export interface OwnedJob {
  /** The owner key (`user:…` / `org:…`); jobs without an owner share the key `''`. */
  readonly owner: string;
  /** A run that may be sent with others of its owner in one message. */
  readonly batchable: boolean;
}

export interface FairQueueOptions {
  /** Most workers one owner may occupy at once (at least 1). */
  readonly maxPerOwner: number;
  /** Most runs sent to a worker in one message. */
  readonly maxBatch: number;
}

/** One worker's worth of work: a lone job, or several runs of one owner. */
export interface Turn<T> {
  readonly owner: string;
  readonly jobs: T[];
}

/** The pool's queue, by owner: round-robin turns, a per-owner cap on busy workers. */
export interface FairQueue<T extends OwnedJob> {
  readonly size: number;
  push(job: T): void;
  /** Puts jobs back at the front of their owners' queues (runs of a lost batch, to be retried). */
  requeue(jobs: readonly T[]): void;
  /** The next owner's turn for one of `idle` idle workers, or undefined when every waiting owner is at its cap. */
  take(idle: number): Turn<T> | undefined;
  /**
   * A turn is over (answered, crashed or killed): its worker no longer counts against the
   * owner. `msPerRun`: how long its runs took each, when that says how fast the owner's runs are.
   */
  finish(owner: string, msPerRun: number | undefined): void;
  /** Busy workers of `owner` (for tests and metrics). */
  running(owner: string): number;
  /** Removes and returns every waiting job. */
  drain(): T[];
}

interface OwnerState<T> {
  readonly waiting: T[];
  running: number;
}

/** A run this fast on average (ms) may share a message with its owner's next runs. */
const FAST_RUN_MS = 50;
/** Owners whose run speed is remembered (least recently seen forgotten first). */
const SPEEDS_KEPT = 10_000;

/**
 * Why owners take turns: the workers are shared by every tenant, and a queue in arrival
 * order let one owner's flood of runaway runs (each held until its time limit) sit in front
 * of everyone else's. Each owner has its own queue; an idle worker goes to the next owner
 * in turn that is below `maxPerOwner` busy workers, so an owner waits at most one turn of
 * each other active owner, and with the cap below the pool size there is always a worker
 * that a flooding owner cannot hold.
 *
 * Why batches only for fast owners: a batch holds its worker until its last run ends.
 * Runs of one owner are sent together only when that owner's recent runs were fast (average
 * under FAST_RUN_MS), so a turn stays short for everyone waiting; an owner not yet seen,
 * or whose runs are slow (a runaway loop runs to its time limit), sends one run per turn.
 * Batches never mix owners, so a worker is always counted against exactly one owner.
 */
export function createFairQueue<T extends OwnedJob>(options: FairQueueOptions): FairQueue<T> {
  const maxPerOwner = Math.max(1, Math.floor(options.maxPerOwner));
  const maxBatch = Math.max(1, Math.floor(options.maxBatch));
  const owners = new Map<string, OwnerState<T>>();
  /** Owners with waiting jobs, in turn order (a Set iterates in insertion order). */
  const turns = new Set<string>();
  /** Average run time per owner (exponentially weighted), most recently updated last. */
  const speeds = new Map<string, number>();
  let size = 0;

  const state = (owner: string): OwnerState<T> => {
    let s = owners.get(owner);
    if (s === undefined) owners.set(owner, (s = { waiting: [], running: 0 }));
    return s;
  };
  const forget = (owner: string, s: OwnerState<T>): void => {
    if (s.waiting.length === 0 && s.running === 0) owners.delete(owner);
  };
  const isFast = (owner: string): boolean => (speeds.get(owner) ?? Infinity) < FAST_RUN_MS;

  return {
    get size() {
      return size;
    },
    push(job) {
      state(job.owner).waiting.push(job);
      turns.add(job.owner);
      size++;
    },
    requeue(jobs) {
      for (let i = jobs.length - 1; i >= 0; i--) {
        const job = jobs[i] as T;
        state(job.owner).waiting.unshift(job);
        turns.add(job.owner);
        size++;
      }
    },
    take(idle) {
      for (const owner of turns) {
        const s = owners.get(owner) as OwnerState<T>;
        if (s.running >= maxPerOwner) continue;
        const first = s.waiting.shift() as T;
        const jobs = [first];
        if (first.batchable && isFast(owner)) {
          // Spread the owner's queue over the idle workers, at most maxBatch runs per message.
          const max = Math.min(maxBatch, Math.ceil((s.waiting.length + 1) / Math.max(1, idle)));
          while (jobs.length < max && (s.waiting[0] as T | undefined)?.batchable) jobs.push(s.waiting.shift() as T);
        }
        size -= jobs.length;
        s.running++;
        // Its turn is used: the owner goes to the back of the line (or leaves it).
        turns.delete(owner);
        if (s.waiting.length > 0) turns.add(owner);
        return { owner, jobs };
      }
      return undefined;
    },
    finish(owner, msPerRun) {
      const s = owners.get(owner);
      if (s === undefined || s.running === 0) return;
      s.running--;
      forget(owner, s);
      if (msPerRun === undefined) return;
      const old = speeds.get(owner);
      speeds.delete(owner);
      speeds.set(owner, old === undefined ? msPerRun : old * 0.7 + msPerRun * 0.3);
      if (speeds.size > SPEEDS_KEPT) speeds.delete(speeds.keys().next().value as string);
    },
    running(owner) {
      return owners.get(owner)?.running ?? 0;
    },
    drain() {
      const all: T[] = [];
      for (const owner of turns) {
        const s = owners.get(owner) as OwnerState<T>;
        all.push(...s.waiting.splice(0));
        forget(owner, s);
      }
      turns.clear();
      size = 0;
      return all;
    },
  };
}
