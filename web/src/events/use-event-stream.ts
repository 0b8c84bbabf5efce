import { useEffect, useState } from 'react';
import { readEventStream } from '../api/events-api.ts';
import { messageOf } from '../api/http.ts';
import type { StreamEvent } from '../api/logic-types.ts';

export interface ListedEvent extends StreamEvent {
  readonly seq: number;
}

export type StreamStatus = 'connecting' | 'live' | 'paused' | 'reconnecting';

const MAX_EVENTS = 200;
let seq = 0;

/**
 * Reads the scope's server-sent event stream with fetch (cookie auth; named events are
 * parsed by hand, which EventSource.onmessage would miss) while `running`, reconnecting
 * after a drop. Keeps the newest MAX_EVENTS, newest first.
 */
export function useEventStream(prefix: string, running: boolean) {
  const [events, setEvents] = useState<ListedEvent[]>([]);
  const [status, setStatus] = useState<StreamStatus>(running ? 'connecting' : 'paused');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!running) {
      setStatus('paused');
      return undefined;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const connect = () => {
      setStatus(attempt === 0 ? 'connecting' : 'reconnecting');
      const onEvent = (event: StreamEvent) => {
        seq += 1;
        const listed = { ...event, seq };
        setEvents((old) => [listed, ...old].slice(0, MAX_EVENTS));
      };
      const onOpen = () => {
        attempt = 0;
        setStatus('live');
        setError(null);
      };
      readEventStream(prefix, onEvent, controller.signal, onOpen)
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setError(messageOf(err));
        })
        .finally(() => {
          if (controller.signal.aborted) return;
          attempt += 1;
          setStatus('reconnecting');
          timer = setTimeout(connect, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
        });
    };
    connect();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [prefix, running]);

  return { events, status, error, clear: () => setEvents([]) };
}
