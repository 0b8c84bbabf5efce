import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config.ts';
import { HushError } from '../errors/errors.ts';
import { CliError } from './cli-context.ts';
import { describeCliError } from './cli-errors.ts';

const sysError = (message: string, fields: Record<string, unknown>): Error => Object.assign(new Error(message), fields);

describe('describeCliError', () => {
  it('passes known errors through', () => {
    expect(describeCliError(new CliError('give --password or --password-stdin'))).toBe('give --password or --password-stdin');
    expect(describeCliError(new ConfigError('HUSH_PORT', 'bad'))).toBe('HUSH_PORT: bad');
    expect(describeCliError(new HushError('not_found', "no user with email 'x'"))).toBe("no user with email 'x'");
  });

  it('names HUSH_PORT when the port is taken or forbidden', () => {
    const taken = sysError('listen EADDRINUSE: address already in use 127.0.0.1:8080', { code: 'EADDRINUSE', syscall: 'listen', address: '127.0.0.1', port: 8080 });
    expect(describeCliError(taken)).toBe('HUSH_PORT: 127.0.0.1:8080 is already in use; set HUSH_PORT to a free port (0 picks one)');
    const denied = sysError('listen EACCES', { code: 'EACCES', syscall: 'listen', address: '0.0.0.0', port: 80 });
    expect(describeCliError(denied)).toBe('HUSH_PORT: no permission to listen on 0.0.0.0:80; use a port above 1023');
    const noAddr = sysError('listen EADDRNOTAVAIL', { code: 'EADDRNOTAVAIL', syscall: 'listen', address: '10.9.9.9', port: 8080 });
    expect(describeCliError(noAddr)).toBe('HUSH_HOST: 10.9.9.9 is not an address of this machine');
    const lookup = { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'nowhere.invalid' };
    expect(describeCliError(sysError('getaddrinfo ENOTFOUND nowhere.invalid', lookup), { HUSH_HOST: 'nowhere.invalid' })).toBe("HUSH_HOST: cannot resolve 'nowhere.invalid'");
    expect(describeCliError(sysError('getaddrinfo ENOTFOUND nowhere.invalid', lookup), {})).toBe(
      'HUSH_DATABASE_URL: cannot connect to PostgreSQL: getaddrinfo ENOTFOUND nowhere.invalid',
    );
  });

  it('names HUSH_DATABASE_URL when PostgreSQL cannot be reached, without printing the URL', () => {
    expect(describeCliError(sysError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }))).toBe(
      'HUSH_DATABASE_URL: cannot connect to PostgreSQL: connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(describeCliError(sysError('password authentication failed for user "hush"', { code: '28P01' }))).toBe(
      'HUSH_DATABASE_URL: cannot connect to PostgreSQL: password authentication failed for user "hush"',
    );
    expect(describeCliError(sysError('database "nodb" does not exist', { code: '3D000' }))).toMatch(/^HUSH_DATABASE_URL: /);
    // Other SQL errors are not connection problems.
    expect(describeCliError(sysError('duplicate key', { code: '23505' }))).toBe('unexpected error: duplicate key');
  });

  it('explains a locked SQLite database and an unusable data dir', () => {
    expect(describeCliError(sysError('database is locked', { code: 'SQLITE_BUSY' }))).toBe('the SQLite database is locked by another process (waited 10 s); try again');
    expect(describeCliError(sysError("EEXIST: file already exists, mkdir '/tmp/f'", { code: 'EEXIST', syscall: 'mkdir', path: '/tmp/f' }))).toBe(
      "HUSH_DATA_DIR: cannot use '/tmp/f' (not a directory)",
    );
    expect(describeCliError(sysError('unable to open database file', { code: 'SQLITE_CANTOPEN' }))).toBe('HUSH_DATA_DIR: cannot open the SQLite database: unable to open database file');
  });

  it('labels anything else unexpected', () => {
    expect(describeCliError(new Error('boom'))).toBe('unexpected error: boom');
    expect(describeCliError('text')).toBe('unexpected error: text');
  });
});
