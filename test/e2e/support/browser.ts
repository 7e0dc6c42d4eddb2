import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (Playwright cannot download its own browsers here). */
export const CHROMIUM_PATH = process.env.SONOFUSE_CHROMIUM ?? '/usr/bin/chromium';

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (the CI script does).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
};

export const screenshotPath = (name: string): string => {
  mkdirSync('test-results', { recursive: true });
  return `test-results/${name}.png`;
};

/** Screenshots the whole scrolling content area (the app scrolls inside <main>, not the page). */
export const shootContent = async (page: Page, name: string): Promise<void> => {
  const height = await page.evaluate(() => document.querySelector('main')!.scrollHeight + 120);
  await page.setViewportSize({ width: 1440, height: Math.max(900, Math.min(height, 6000)) });
  await page.screenshot({ path: screenshotPath(name) });
  await page.setViewportSize({ width: 1440, height: 900 });
};
