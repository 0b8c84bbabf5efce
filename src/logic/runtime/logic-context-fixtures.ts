import type { LogicEventContext, LogicScheduledContext } from './logic-context-types.ts';

/** Contexts for the runtime's tests: an event run and a scheduled run. */
export function eventContext(overrides: Partial<LogicEventContext['event']> = {}, secrets: Record<string, string | null> = {}): LogicEventContext {
  return {
    functionInfo: { ownerId: 'user-1', logicFunctionId: 'fn-1' },
    trigger: { triggeredAt: '2024-05-01T12:00:00.000000001Z', triggerEventId: 'evt-1' },
    event: {
      eventName: 'temp',
      eventData: '{"celsius":21.5}',
      publishedAt: '2024-05-01T12:00:00.000Z',
      deviceId: 'e00fce68b1b2c3d4e5f6a7b8',
      productId: 4242,
      ...overrides,
    },
    secrets: { API_KEY: 'key-0123456789', ...secrets },
    env: { REGION: 'eu' },
  };
}

export function scheduledContext(): LogicScheduledContext {
  return {
    functionInfo: { ownerId: 'org-9', logicFunctionId: 'fn-cron' },
    trigger: { triggeredAt: '2024-05-01T12:00:00Z' },
    scheduled: { scheduledAt: '2024-05-01T12:00:00Z', startAt: '2024-04-01T00:00:00Z' },
    secrets: {},
    env: {},
  };
}
