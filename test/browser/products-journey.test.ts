/**
 * Issue #16 item 1, in Chromium: the journey that was a dead end. Create a product, add a
 * device, deploy a Logic function triggered by an event of that product, publish the event
 * from the Events page as that device, and see the run in the history with its input
 * event. Then remove the device. Screenshots at 1280×800 and 390×844.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPages, fillCode, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

const CODE = `export default function main({ event }) {
  console.log('got', event.eventName, 'from', event.deviceId, 'data', event.eventData);
}
`;

/** Picks `option` in the react-aria select `select` (its button is named by value and label). */
async function choose(page: Page, select: Locator, option: string | RegExp) {
  await select.getByRole('button').click();
  await page.getByRole('option', { name: option }).click();
}

describe('console: products, devices and an event-triggered Logic function (Chromium)', () => {
  let env: ConsoleEnv;
  let user: { id: string; email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const [i, viewport] of [{ width: 1280, height: 800 }, { width: 390, height: 844 }].entries()) {
    const size = `${viewport.width}x${viewport.height}`;
    it(`create product → add device → deploy → publish as the device → run with its input event, at ${size}`, { timeout: JOURNEY_MS }, async () => {
      const device = `${i}a1b2c3d4e5f60718293a4b5`.slice(0, 24);
      const productName = `Greenhouse ${viewport.width}`;
      const fnName = `greenhouse-relay-${viewport.width}`;
      const eventName = `temp-${viewport.width}`;
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);

      // Create the product, then add a device on its page.
      await nav(page, 'Products').click();
      await page.getByRole('heading', { name: 'Products', exact: true }).waitFor();
      await page.getByRole('textbox', { name: 'Product name' }).fill(productName);
      await page.getByRole('button', { name: 'Create product' }).click();
      await page.getByRole('heading', { name: productName }).waitFor();
      await page.getByTestId('product-notice').waitFor();
      await page.getByRole('textbox', { name: 'Device id' }).fill('not-a-device');
      await page.getByRole('button', { name: 'Add device' }).click();
      await page.getByText('A device id is 24 hexadecimal characters').waitFor();
      await page.getByRole('textbox', { name: 'Device id' }).fill(device.toUpperCase());
      await page.getByRole('button', { name: 'Add device' }).click();
      await page.getByTestId('devices-table').getByRole('rowheader', { name: device }).waitFor();
      await shot(page, `products-01-product-${size}`);

      // Deploy a function triggered by the product's event.
      await nav(page, 'Logic').click();
      await page.getByRole('link', { name: 'New function' }).first().click();
      await page.getByRole('heading', { name: 'New Logic function' }).waitFor();
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(fnName);
      await fillCode(page, CODE);
      await page.getByRole('button', { name: 'Add event trigger' }).click();
      await page.getByRole('textbox', { name: 'Trigger 1 event name' }).fill(eventName);
      expect(await page.getByTestId('create-product-link').getAttribute('href')).toBe('/sandbox/products');
      await choose(page, page.getByTestId('trigger-1').locator('.field').filter({ hasText: 'Trigger 1 product' }), new RegExp(productName));
      await page.getByRole('button', { name: 'Deploy' }).click();
      await page.getByText(`Logic function ${fnName} deployed.`).waitFor();

      // Publish from the Events page, as the device, to the product.
      await nav(page, 'Events').click();
      await page.getByRole('heading', { name: 'Events', exact: true }).waitFor();
      await choose(page, page.getByTestId('events-product'), new RegExp(productName));
      await choose(page, page.getByTestId('publish-device'), device);
      await page.getByRole('textbox', { name: 'Event name' }).fill(eventName);
      await page.getByRole('textbox', { name: 'Event data' }).fill('{"celsius":19.5}');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByText(`as device ${device}.`).waitFor();
      // The page watches the product's stream: the event shows with the device as its source.
      await page.getByTestId('events-table').getByRole('row', { name: new RegExp(eventName) }).getByText(device).waitFor();
      await shot(page, `products-02-events-${size}`);

      // The run, with its input event.
      await nav(page, 'Logic').click();
      await page.getByRole('link', { name: fnName }).click();
      await page.getByRole('tab', { name: 'Run history' }).click();
      const runEvent = page.getByTestId('run-event').first();
      await expect
        .poll(async () => {
          if ((await runEvent.count()) === 0) await page.getByRole('button', { name: 'Refresh' }).click().catch(() => undefined);
          return runEvent.count();
        }, { timeout: 15_000 })
        .toBe(1);
      const text = await runEvent.innerText();
      expect(text).toContain(eventName);
      expect(text).toContain(device);
      expect(text).toContain('{"celsius":19.5}');
      await page.getByRole('button', { name: 'Show logs' }).first().click();
      await page.getByText(`got ${eventName} from ${device}`, { exact: false }).waitFor();
      await shot(page, `products-03-run-history-${size}`);

      // The product page lists the function; removing the device empties the list.
      await nav(page, 'Products').click();
      await page.getByRole('link', { name: productName }).click();
      await page.getByRole('list', { name: 'Product Logic functions' }).getByRole('link', { name: fnName }).waitFor();
      await page.getByRole('button', { name: `Remove device ${device}` }).click();
      await page.getByText(`Device ${device} removed.`).waitFor();
      expect(await page.getByTestId('devices-table').count()).toBe(0);
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
