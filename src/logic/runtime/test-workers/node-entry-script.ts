// Runs one Logic function through the public API and prints the result as JSON; started
// by node-entry.test.ts as a plain Node process (`node --import tsx`, or via
// node-entry-register.mjs the way bin/hush.js starts Hush), outside vitest.
import { createLogicRuntime } from '../index.ts';

const runtime = createLogicRuntime({ workers: 1 });
const result = await runtime.run({
  code: `import Particle from 'particle:core';
    export default function main({ event }) { console.log('got', event.eventName); Particle.publish('echo', event.eventData); }`,
  context: {
    functionInfo: { ownerId: 'u', logicFunctionId: 'f' },
    trigger: { triggeredAt: new Date(0).toISOString() },
    event: { eventName: 'ping', eventData: 'pong', publishedAt: new Date(0).toISOString(), deviceId: 'd' },
    secrets: {},
    env: {},
  },
});
await runtime.close();
console.log(JSON.stringify(result));
