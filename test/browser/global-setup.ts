/**
 * Vitest global setup: makes sure the console is built before the browser suite serves it.
 * Rebuilds `web/dist` when `web/dist/index.html` is missing or older than any file of the
 * console's sources, so `npm test` works on a fresh clone without a manual `npm run build`.
 */
import { ensureConsoleBuilt } from './console-build.ts';

export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
