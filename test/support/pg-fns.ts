import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server tests may use (CI sets it); null skips PostgreSQL runs visibly. */
export const TEST_PG_URL = process.env.HUSH_TEST_DATABASE_URL?.trim() || null;

/** Creates a fresh schema for one test file; `drop` removes it with everything in it. */
export async function createTestSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `hush_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
  } finally {
    await client.end();
  }
  return {
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A postgres URL whose connections use `schema` (for child processes that only read env). */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Dialects a suite should run on, printing a visible line when PostgreSQL is skipped. */
export function testDialects(): Array<'sqlite' | 'postgres'> {
  if (TEST_PG_URL) return ['sqlite', 'postgres'];
  console.warn('[hush tests] HUSH_TEST_DATABASE_URL is not set: PostgreSQL runs are SKIPPED (CI always sets it)');
  return ['sqlite'];
}
