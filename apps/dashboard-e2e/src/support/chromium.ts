import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser download is not used. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium with what this machine needs: no sandbox as root, and no background connections,
 * which a machine without a network refuses, many at a time, at every start.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need \`apt-get install chromium\`.`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
