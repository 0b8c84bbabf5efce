import { loadConfig } from '../config/config.ts';
import { openStore } from '../store/open-store.ts';
import { migrateToLatest } from '../store/migrations/migrations.ts';

/** `hush migrate`: bring the schema up to date explicitly (start-up does it too). */
export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, migrate: false });
  try {
    const applied = await migrateToLatest(store.db, store.dialect);
    process.stdout.write(applied.length > 0 ? `Applied ${applied.join(', ')}.\n` : 'The schema is up to date.\n');
  } finally {
    await store.close();
  }
}
