/**
 * A fresh install has no user: the sign-in page says how to create the first one, and the
 * hint is gone once a user exists (Chromium, at desktop and phone sizes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPages, JOURNEY_MS, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: the first user of a fresh install (Chromium)', () => {
  let env: ConsoleEnv;
  beforeAll(async () => {
    env = await startConsoleEnv();
  });
  afterAll(async () => env?.close());

  it('tells how to create the first user until one exists, then signs in', { timeout: JOURNEY_MS }, async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await page.goto('/login');
    const hint = page.getByTestId('first-user-hint');
    await hint.waitFor();
    expect(await hint.innerText()).toContain('npm run -s hush -- user create --email you@example.com --password-stdin');
    await shot(page, 'first-user-hint-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    // The command wraps inside the card: the page never scrolls sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(page, 'first-user-hint-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    const user = await env.server.user('first@example.com');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    expect(await page.getByTestId('first-user-hint').count()).toBe(0);
    await signIn(page, user.email, user.password);
    expectCleanPages(env.watch);
  });
});
