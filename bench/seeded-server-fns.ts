import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A seeded Hush server in its own process (bench/seeded-server-child.ts). */
export interface ForkedServer {
  readonly url: string;
  readonly token: string;
  /** The server process's CPU time so far, in microseconds. */
  cpuUs(): Promise<number>;
  close(): Promise<void>;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seeded-server-child.ts');

export async function forkSeededServer(env: Record<string, string>): Promise<ForkedServer> {
  const child = fork(CHILD, [JSON.stringify(env)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = <T>(pick: (m: Record<string, unknown>) => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        const v = pick(m);
        if (v === undefined) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(v);
      };
      const onExit = (code: number | null) => reject(new Error(`bench server exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next((m) => (typeof m.url === 'string' ? { url: m.url, token: m.token as string } : undefined));
  return {
    ...ready,
    cpuUs() {
      const answer = next((m) => (typeof m.cpuUs === 'number' ? m.cpuUs : undefined));
      child.send({ cpu: true });
      return answer;
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ close: true });
      await exited;
    },
  };
}
