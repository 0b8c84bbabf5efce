import { loadConfig } from '../config/config.ts';
import { startServer } from '../server/serve.ts';

/** `hush serve`: start the server and print where it is and what to do first. */
export async function serveCommand(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config, {
    retryDelaysMs: config.webhookRetryDelaysMs ?? undefined,
    signingOverlapMs: config.webhookSigningOverlapMs ?? undefined,
    webhookTimeoutMs: config.webhookTimeoutMs ?? undefined,
    leaseMs: config.deliveryLeaseMs ?? undefined,
    logicLeaseMs: config.logicLeaseMs ?? undefined,
    maxQueued: config.queueMax ?? undefined,
    maxQueuedPerOwner: config.queueMaxPerOwner ?? undefined,
    stopGraceMs: config.shutdownGraceMs ?? undefined,
  });
  const store = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
  const users = await server.services.store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const lines = [
    '',
    `Hush is running (${store}).`,
    `  Console and API: ${config.publicUrl ?? server.url}/`,
    `  Health check:    ${server.url}/healthz`,
  ];
  if (Number(users?.n ?? 0) === 0) {
    lines.push(
      '',
      'First steps: create the first user, then sign in to the console with it:',
      '  npm run -s hush -- user create --email you@example.com --password-stdin',
      'and, for API clients (particle-cli, particle-api-js), a token:',
      '  npm run -s hush -- token create --email you@example.com',
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
  let stopping = false;
  const stop = (signal: string) => {
    // A second Ctrl-C means "now": leases bring back whatever was still being sent.
    if (stopping) {
      process.stderr.write(`hush: ${signal} again: exiting without waiting\n`);
      process.exit(130);
    }
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    // Whatever is still held after the timeout comes back to the queue when its lease ends.
    const timeoutMs = config.shutdownTimeoutMs ?? 15_000;
    setTimeout(() => {
      process.stderr.write(`hush: shutdown took longer than ${timeoutMs} ms (HUSH_SHUTDOWN_TIMEOUT_MS): exiting\n`);
      process.exit(1);
    }, timeoutMs).unref();
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`hush: error while shutting down: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
