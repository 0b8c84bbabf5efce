/**
 * Debian's Chromium driven by playwright-core, for the browser suite and the console
 * benchmark. Never a downloaded browser: HUSH_CHROMIUM or /usr/bin/chromium.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.HUSH_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches Chromium, or fails with what to do when it is not installed (CI installs it). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The console's browser tests need it: ` +
        'install Debian\'s package (`apt-get install -y chromium`, as .ci/run does) or set HUSH_CHROMIUM to its path.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

