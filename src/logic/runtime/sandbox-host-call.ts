import type { HostCaller } from './host-bridge-worker.ts';
import { formatBytes } from './runtime-types.ts';

/** Host calls of one kind made by a run, against their per-run limits. */
export interface HostBudget {
  /** How the calls are named in errors, e.g. `Particle.ledger`. */
  readonly what: string;
  readonly maxCalls: number;
  /** Bytes sent and received (JSON text). */
  readonly maxBytes: number;
  calls: number;
  bytes: number;
}

/** What a run's host calls need from its state. */
export interface HostCallState {
  readonly host: HostCaller | undefined;
  readonly deadline: number;
  /** Set when a call was still unanswered at the deadline: the run ends as a Timeout. */
  hostTimedOut: boolean;
}

export const newBudget = (what: string, maxCalls: number, maxBytes: number): HostBudget => ({ what, maxCalls, maxBytes, calls: 0, bytes: 0 });

/** Refuses before sending when `bytes` more would pass the run's byte limit. */
export function spend(budget: HostBudget, bytes: number): void {
  if (budget.bytes + bytes > budget.maxBytes) {
    throw new RangeError(`${budget.what}: the data limit of ${formatBytes(budget.maxBytes)} per run is exceeded`);
  }
  budget.bytes += bytes;
}

/**
 * Makes one host call and answers the value's JSON text, or throws the host's error (its
 * message prefixed with `label`). The wait counts against the run's time limit.
 */
export function callHost(state: HostCallState, budget: HostBudget, label: string, method: string, args: readonly unknown[]): string {
  if (state.host === undefined) throw new Error(`${budget.what} is not available here (no host to answer it)`);
  if (budget.calls >= budget.maxCalls) throw new Error(`${budget.what}: the limit of ${budget.maxCalls} calls per run is exceeded`);
  budget.calls += 1;
  const answer = state.host(method, args, state.deadline);
  if (!answer.ok) {
    if (answer.timedOut) state.hostTimedOut = true;
    throw new Error(`${label}: ${answer.message}`);
  }
  spend(budget, Buffer.byteLength(answer.json));
  return answer.json;
}
