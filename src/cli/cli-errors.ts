import { ConfigError } from '../config/config.ts';
import { isHushError } from '../errors/errors.ts';
import { CliError } from './cli-context.ts';

interface SystemLike {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly path?: unknown;
  readonly hostname?: unknown;
  readonly message: string;
}

// PostgreSQL SQLSTATEs that mean "could not get a usable connection" (classes 08 and 28,
// a missing database, a server starting or shutting down, too many connections).
const PG_CONNECT = /^(08|28|3D000$|57P0[1-3]$|53300$)/;
const NET_CONNECT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * The one line the CLI prints for an error (without the `hush: ` prefix). Known failures
 * an operator can fix (port taken, database unreachable or locked, data dir unusable) name
 * the variable to change; anything else is labelled unexpected. Never prints a database
 * URL, which may hold a password.
 */
export function describeCliError(e: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (e instanceof CliError || e instanceof ConfigError || isHushError(e)) return e.message;
  if (!(e instanceof Error)) return `unexpected error: ${String(e)}`;
  const err = e as SystemLike;
  const code = typeof err.code === 'string' ? err.code : '';
  if (err.syscall === 'listen' && (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')) {
    const where = `${String(err.address)}:${String(err.port)}`;
    if (code === 'EADDRINUSE') return `HUSH_PORT: ${where} is already in use; set HUSH_PORT to a free port (0 picks one)`;
    if (code === 'EACCES') return `HUSH_PORT: no permission to listen on ${where}; use a port above 1023`;
    return `HUSH_HOST: ${String(err.address)} is not an address of this machine`;
  }
  // Both the listen address and the database host are looked up by name.
  if (err.syscall === 'getaddrinfo' && typeof err.hostname === 'string' && err.hostname === env.HUSH_HOST?.trim()) {
    return `HUSH_HOST: cannot resolve '${err.hostname}'`;
  }
  if (NET_CONNECT.has(code) || PG_CONNECT.test(code)) {
    return `HUSH_DATABASE_URL: cannot connect to PostgreSQL: ${e.message}`;
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return 'the SQLite database is locked by another process (waited 10 s); try again';
  }
  if (typeof err.path === 'string' && (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EROFS' || code === 'EPERM')) {
    return `HUSH_DATA_DIR: cannot use '${err.path}' (${code === 'EEXIST' || code === 'ENOTDIR' ? 'not a directory' : 'permission denied'})`;
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_NOTADB') {
    return `HUSH_DATA_DIR: cannot open the SQLite database: ${e.message}`;
  }
  return `unexpected error: ${e.message}`;
}
