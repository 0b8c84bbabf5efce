import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestSchema, TEST_PG_URL } from '../../../test/support/pg-fns.ts';
import { openPostgres } from './postgres-dialect.ts';

// Needs a PostgreSQL server; reported as skipped without HUSH_TEST_DATABASE_URL.
describe.skipIf(!TEST_PG_URL)('PostgreSQL dialect', () => {
  it('lists only its own schema\'s tables, also while other schemas of the database are being dropped', async () => {
    const url = TEST_PG_URL as string;
    const own = await createTestSchema(url);
    const { db } = openPostgres({ url, poolSize: 2, statementTimeoutMs: 15_000, schema: own.schema });
    const churners = Array.from({ length: 2 }, () => new pg.Client({ connectionString: url }));
    let stop = false;
    let churn: Promise<void>[] = [];
    try {
      await Promise.all(churners.map((c) => c.connect()));
      // Another tenant (or test run) creating and dropping schemas beside this one, flat out.
      churn = churners.map(async (c) => {
        while (!stop) {
          const name = `hush_churn_${randomBytes(6).toString('hex')}`;
          await c.query(`create schema ${name}; create table ${name}.t (id serial primary key, x int)`);
          await c.query(`drop schema ${name} cascade`);
        }
      });
      await db.schema.createTable('mine').addColumn('x', 'integer').execute();
      for (let i = 0; i < 50; i++) {
        const tables = await db.introspection.getTables();
        expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual([`${own.schema}.mine`]);
      }
      stop = true;
      await Promise.all(churn);
    } finally {
      stop = true;
      await Promise.allSettled(churn);
      await Promise.all(churners.map((c) => c.end().catch(() => undefined)));
      await db.destroy();
      await own.drop();
    }
  }, 120_000);
});
