import type { HushEvent } from './event-types.ts';

/**
 * Carries committed events to every node's live subscribers, and wake-up signals to
 * every node's workers. In one process it is a direct call; on PostgreSQL the
 * LISTEN/NOTIFY implementation reaches the other nodes.
 */
export interface Broadcaster {
  /** Sends an event to all nodes, this one included. */
  publishEvent(e: HushEvent): Promise<void>;
  onEvent(fn: (e: HushEvent) => void): void;
  /** Tells all nodes that work is waiting on `channel` (e.g. `deliveries`). */
  wake(channel: string): Promise<void>;
  onWake(fn: (channel: string) => void): void;
  close(): Promise<void>;
}

export function createLocalBroadcaster(): Broadcaster {
  const eventFns: Array<(e: HushEvent) => void> = [];
  const wakeFns: Array<(c: string) => void> = [];
  return {
    async publishEvent(e) {
      for (const fn of eventFns) fn(e);
    },
    onEvent: (fn) => void eventFns.push(fn),
    async wake(channel) {
      for (const fn of wakeFns) fn(channel);
    },
    onWake: (fn) => void wakeFns.push(fn),
    async close() {
      eventFns.length = 0;
      wakeFns.length = 0;
    },
  };
}
