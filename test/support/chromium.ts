import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs with apt when it is missing (no browser download works here). */
const CHROMIUM = '/usr/bin/chromium';

/** Launches Debian's Chromium headless, offline; fails loudly, never skips, when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (err) {
    throw new Error(`Chromium must be installed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it): ${(err as Error).message}`);
  }
}
