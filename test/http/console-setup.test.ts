import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

describe.each(testDialects())('GET /v1/console/setup (%s)', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ dialect });
  });
  afterAll(async () => s?.stop());

  it('says a fresh install needs its first user, without a token, and stops saying so once one exists', async () => {
    expect(await api(s.url, 'GET', '/v1/console/setup')).toMatchObject({ status: 200, body: { first_user_needed: true } });
    await s.user();
    expect(await api(s.url, 'GET', '/v1/console/setup')).toMatchObject({ status: 200, body: { first_user_needed: false } });
  });
});
