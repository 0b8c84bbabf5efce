import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const script = (name: string): string => fileURLToPath(new URL(`./test-workers/${name}`, import.meta.url));

/** The sandbox worker must start outside vitest too, however tsx was brought in. */
describe('sandbox workers under plain Node', () => {
  it.each([
    ['node --import tsx', ['--import', 'tsx', script('node-entry-script.ts')]],
    ['tsx registered from code (bin/hush.js)', [script('node-entry-register.mjs')]],
  ])('%s', async (_label, args) => {
    const { stdout } = await run(process.execPath, args, { cwd: repoRoot, timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({
      status: 'Success',
      logs: [{ level: 'Info', args: ['got', 'ping'] }],
      publishes: [{ name: 'echo', data: 'pong' }],
    });
  });
});
