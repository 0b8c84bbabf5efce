import type { HushServices } from '../app.ts';
import { loadConfig, type HushConfig } from '../config/config.ts';
import { closeServices, openRuntime } from '../server/runtime.ts';

/** An error the CLI prints as one line before exiting non-zero. */
export class CliError extends Error {}

/** Opens the same data dir or database the server uses, runs `fn`, and closes. */
export async function withServices<T>(fn: (s: HushServices, config: HushConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const services = await openRuntime(config);
  try {
    return await fn(services, config);
  } finally {
    await closeServices(services);
  }
}

/** Reads all of standard input (for --password-stdin and --new-key-stdin). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
