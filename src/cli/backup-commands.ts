import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type HushConfig } from '../config/config.ts';
import { MASTER_KEY_FILE } from '../crypto/keyring.ts';
import { checkStoreOpens, type StoreCheck } from '../crypto/store-check.ts';
import { keySourceFor } from '../server/runtime.ts';
import type { Db } from '../store/database-types.ts';
import { assertStoreUnused, backupSqlite, stageSqliteCopy, STAGED_FILE, StoreInUseError, swapInStaged } from '../store/dialects/sqlite-backup.ts';
import { openSqlite } from '../store/dialects/sqlite-dialect.ts';
import { openStore } from '../store/open-store.ts';
import { CliError } from './cli-context.ts';

const out = (line: string) => process.stdout.write(line + '\n');

const PG_BACKUP = 'with PostgreSQL, back up with pg_dump (see the README, "Backup and restore")';

/** A master key must already be configured: a missing key file must not be generated here. */
function requireKey(config: HushConfig, what: string) {
  if (!config.masterKeys && !config.databaseUrl && !fs.existsSync(path.join(config.dataDir, MASTER_KEY_FILE))) {
    throw new CliError(
      `no master key to ${what}: set HUSH_MASTER_KEY or put the key file that belongs to this data in ${path.join(config.dataDir, MASTER_KEY_FILE)}`,
    );
  }
  return keySourceFor(config);
}

const described = (c: StoreCheck) =>
  `${c.dataKeys} data key(s) and ${c.secretVersions} secret version(s) open with the configured master key (wrapped by ${c.wrappedBy.join(', ') || 'no key yet'})`;

/** Runs the key check on an opened store, naming a file that is not a Hush store. */
async function check(db: Db, config: HushConfig, label: string): Promise<StoreCheck> {
  const keySource = requireKey(config, 'check it with');
  try {
    return await checkStoreOpens(db, keySource);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || /no such table/.test((e as Error).message ?? '')) throw new CliError(`${label} is not a Hush store`);
    throw e;
  }
}

async function checkSqliteFile(dir: string, fileName: string, config: HushConfig, label: string): Promise<StoreCheck> {
  const opened = openSqlite(dir, fileName);
  try {
    return await check(opened.db, config, label);
  } finally {
    await opened.close();
  }
}

/** `hush backup FILE` and `hush restore FILE | --check`. */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('copy the SQLite store to FILE while servers run (the master key is not included)')
    .argument('<file>', 'where to write the copy (must not exist)')
    .action(async (file: string) => {
      const config = loadConfig();
      if (config.databaseUrl) throw new CliError(`hush backup copies the SQLite store; ${PG_BACKUP}`);
      const dest = path.resolve(file);
      if (fs.existsSync(dest)) throw new CliError(`${dest} already exists: choose a new file name`);
      if (!fs.existsSync(path.dirname(dest))) throw new CliError(`directory ${path.dirname(dest)} does not exist`);
      await backupSqlite(config.dataDir, dest);
      const c = await checkSqliteFile(path.dirname(dest), path.basename(dest), config, dest);
      out(`Backed up ${config.dataDir} to ${dest}: ${described(c)}.`);
      out(
        `The master key is not in the backup: keep ${config.masterKeys ? 'HUSH_MASTER_KEY' : path.join(config.dataDir, MASTER_KEY_FILE)} apart from it (key ${c.wrappedBy.join(', ') || 'any'} opens it).`,
      );
    });

  program
    .command('restore')
    .description('replace the SQLite store with a backup once the configured master key is shown to open it; --check verifies a store')
    .argument('[file]', 'a file written by hush backup')
    .option('--check', 'only verify (FILE, or the configured store: a PostgreSQL database after pg_restore) against the master key')
    .action(async (file: string | undefined, o: { check?: boolean }) => {
      const config = loadConfig();
      if (config.databaseUrl) {
        if (!o.check || file) throw new CliError('with PostgreSQL, restore with pg_restore (see the README), then run `hush restore --check`');
        const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, migrate: false });
        try {
          out(`The database is usable: ${described(await check(store.db, config, 'the database'))}.`);
        } finally {
          await store.close();
        }
        return;
      }
      if (!file) {
        if (!o.check) throw new CliError('name the backup file: hush restore FILE');
        out(`${config.dataDir} is usable: ${described(await checkSqliteFile(config.dataDir, 'hush.db', config, 'the store'))}.`);
        return;
      }
      const source = path.resolve(file);
      if (!fs.existsSync(source)) throw new CliError(`${source} does not exist`);
      if (o.check) {
        const dir = fs.mkdtempSync(path.join(path.dirname(source), '.hush-check-'));
        try {
          fs.copyFileSync(source, path.join(dir, 'copy.db'));
          out(`${source} is usable: ${described(await checkSqliteFile(dir, 'copy.db', config, source))}.`);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
        return;
      }
      requireKey(config, 'check the backup with');
      fs.mkdirSync(config.dataDir, { recursive: true });
      try {
        assertStoreUnused(config.dataDir);
        const staged = stageSqliteCopy(config.dataDir, source);
        let c: StoreCheck;
        try {
          c = await checkSqliteFile(config.dataDir, STAGED_FILE, config, source);
        } catch (e) {
          fs.rmSync(staged, { force: true });
          throw e;
        }
        const kept = swapInStaged(config.dataDir, staged, new Date());
        out(`Restored ${source} into ${config.dataDir}: ${described(c)}.`);
        if (kept) out(`The replaced store is kept as ${kept}.`);
      } catch (e) {
        if (e instanceof StoreInUseError) throw new CliError(e.message);
        throw e;
      }
    });
}
