import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/**
 * Opens the browser-mode URL in a local Chromium app window when there is a display. Returns the
 * browser used, or null. Never fails the caller: the URL is always printed as well.
 */
export const openInLocalBrowser = (url: string, env: NodeJS.ProcessEnv = process.env): string | null => {
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  const browser = candidates.find((c) => existsSync(c));
  if (!browser) return null;
  try {
    const child = spawn(
      browser,
      [`--app=${url}`, '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    child.on('error', () => {});
    child.unref();
    return browser;
  } catch {
    return null;
  }
};
