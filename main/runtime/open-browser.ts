import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const defaultCandidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** A browser window the host opened, with its throwaway profile. */
export interface OpenedBrowser {
  browser: string;
  /** The profile folder (0700, in the temp folder): cache, cookies and storage of this window only. */
  profileDir: string;
  /** Closes the browser if it still runs and removes its profile; resolves when both are done. */
  close(): Promise<void>;
}

export interface OpenBrowserOptions {
  env?: NodeJS.ProcessEnv;
  candidates?: readonly string[];
  spawn?: typeof nodeSpawn;
  /** Where the profile folder is made (default: the OS temp folder). */
  tempDir?: string;
}

/**
 * The Chromium arguments: a fresh profile (so the window's disk cache, cookies and session storage
 * never mix with the user's own profile and are deleted on exit), no first-run or network chatter.
 * The URL should carry a one-time launch code, never the token: the command line is readable by
 * every local user in /proc.
 */
export const browserArgs = (url: string, profileDir: string): string[] => [
  `--user-data-dir=${profileDir}`,
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--app=${url}`,
];

const PROFILE_PREFIX = 'sonofuse-browser-';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes throwaway profiles left by a host that was killed before it could clean up: a profile
 * whose Chromium is gone (its `SingletonLock` names a dead process, or there is none and the
 * folder is over a minute old). Returns how many were removed.
 */
export const sweepStaleProfiles = (tempDir: string = tmpdir()): number => {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(tempDir).filter((n) => n.startsWith(PROFILE_PREFIX));
  } catch {
    return 0;
  }
  for (const name of names) {
    const dir = join(tempDir, name);
    let pid = 0;
    try {
      pid = Number(/-(\d+)$/.exec(readlinkSync(join(dir, 'SingletonLock')))?.[1] ?? 0);
    } catch {
      pid = 0;
    }
    if (pid > 0 && alive(pid)) continue;
    // A profile made in the last minute may belong to a browser that is still starting.
    if (pid === 0 && Date.now() - (statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 60_000) continue;
    rmSync(dir, { recursive: true, force: true });
    removed++;
  }
  return removed;
};

const waitForExit = (child: ChildProcess, ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(resolve, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Opens the browser-mode URL in a local Chromium app window with a throwaway profile when there is
 * a display. Returns the window, or null. Never fails the caller: the URL is always printed as well.
 * The profile is removed when the browser exits and by {@link OpenedBrowser.close}.
 */
export const openInLocalBrowser = (url: string, options: OpenBrowserOptions = {}): OpenedBrowser | null => {
  const env = options.env ?? process.env;
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  const browser = (options.candidates ?? defaultCandidates).find((c) => existsSync(c));
  if (!browser) return null;
  let profileDir: string | null = null;
  try {
    sweepStaleProfiles(options.tempDir ?? tmpdir());
    profileDir = mkdtempSync(join(options.tempDir ?? tmpdir(), PROFILE_PREFIX));
    chmodSync(profileDir, 0o700);
    const dir = profileDir;
    const removeProfile = (): void => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    const child = (options.spawn ?? nodeSpawn)(browser, browserArgs(url, dir), { stdio: 'ignore' });
    child.on('error', removeProfile);
    child.on('exit', removeProfile);
    return {
      browser,
      profileDir: dir,
      async close() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await waitForExit(child, 5000);
        }
        removeProfile();
      },
    };
  } catch {
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    return null;
  }
};
