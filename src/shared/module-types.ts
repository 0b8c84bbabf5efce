/**
 * What every domain module's `index.ts` returns: its services, an optional `start` for
 * work of its own (run once the node listens) and `close`, which the server calls in
 * reverse build order when it stops.
 */
export interface HushModule<S> {
  readonly services: S;
  start?(): void;
  close(): Promise<void>;
}

export const noClose = async (): Promise<void> => undefined;
