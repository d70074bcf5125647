import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium for browser tests, driven by playwright-core (which downloads nothing).
 * Without it a browser test is skipped with a loud warning, except in CI (CI=true), where it fails:
 * .ci/run installs it (apt-get install chromium).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = process.env.CI === 'true';

/**
 * The name browser tests open the app's pages at, as a user on another machine would: Chromium
 * resolves it to 127.0.0.1 itself (no DNS, no /etc/hosts), and it is not localhost, which browsers
 * treat as secure (skipping, for one, CSP's upgrade-insecure-requests).
 */
export const PAGE_HOST = 'docs.test';

/** The URL a browser test opens the app listening on 127.0.0.1:port at (http://docs.test:port). */
export function pageBase(port: number, host: string = PAGE_HOST): string {
  return `http://${host}:${port}`;
}

/** `describe`, or `describe.skip` with a warning when Chromium is missing outside CI. */
export function describeInBrowser(what: string): jest.Describe {
  if (!HAVE_CHROMIUM && !IN_CI) {
    console.warn(
      `\n*** BROWSER TEST SKIPPED: no Chromium at ${CHROMIUM}. ***\n` +
        `*** ${what} was NOT tested. Install Debian's Chromium to run it:                 ***\n` +
        '***   apt-get update && apt-get install -y --no-install-recommends chromium       ***\n' +
        '*** (or point CHROMIUM_PATH at a Chromium). In CI (CI=true) this test fails instead. ***\n',
    );
    return describe.skip;
  }
  return describe;
}

export async function launchChromium(): Promise<Browser> {
  if (!HAVE_CHROMIUM) {
    throw new Error(
      `CI=true but there is no Chromium at ${CHROMIUM}: the browser test cannot run. ` +
        '.ci/run must install it (apt-get install -y --no-install-recommends chromium).',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--host-resolver-rules=MAP ${PAGE_HOST} 127.0.0.1`,
    ],
    timeout: 60_000,
  });
}
