// Worker threads start without the parent's loader hooks: register tsx here so the
// TypeScript worker entry (and everything it imports) loads the same way under
// `node bin/hush.js`, `node --import tsx` and vitest.
import { register } from 'tsx/esm/api';

register();
await import('./sandbox-worker.ts');
