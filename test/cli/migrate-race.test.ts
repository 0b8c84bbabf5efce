import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { runHush, startOn } from '../support/cli-fns.ts';
import { migrationNames } from '../../src/store/migrations/migrations.ts';
import { createTestSchema, TEST_PG_URL, urlWithSchema } from '../support/pg-fns.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const ROUNDS = 10;
const CLIS = 3;

// Several nodes and CLI commands starting together on one empty schema must migrate it once.
describe.runIf(TEST_PG_URL)('concurrent first start on PostgreSQL', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it(`a server and ${CLIS} CLI commands at once, ${ROUNDS} rounds`, { timeout: ROUNDS * 60_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const schema = await createTestSchema(TEST_PG_URL ?? '');
      cleanups.push(() => schema.drop());
      const dir = await mkdtemp(path.join(os.tmpdir(), 'hush-migrate-race-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const env = { HUSH_DATA_DIR: dir, HUSH_DATABASE_URL: urlWithSchema(TEST_PG_URL ?? '', schema.schema), HUSH_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };
      const [server, ...clis] = await Promise.all([
        startOn(dir, env),
        ...Array.from({ length: CLIS }, (_, i) => runHush(i === 0 ? ['migrate'] : ['user', 'list'], env)),
      ]);
      cleanups.push(() => server.close());
      for (const r of clis) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const c = new pg.Client({ connectionString: TEST_PG_URL ?? '' });
      await c.connect();
      try {
        const rows = (await c.query<{ name: string; n: string }>(`select name, count(*) as n from ${schema.schema}.kysely_migration group by name order by name`)).rows;
        expect(rows.map((r) => r.name)).toEqual(migrationNames('postgres'));
        for (const row of rows) expect({ name: row.name, n: Number(row.n) }).toEqual({ name: row.name, n: 1 });
      } finally {
        await c.end();
      }
      for (const cl of cleanups.splice(0).reverse()) await cl();
    }
  });
});
