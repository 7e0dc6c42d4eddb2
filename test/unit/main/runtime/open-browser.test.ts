import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInLocalBrowser, sweepStaleProfiles } from '../../../../main/runtime/open-browser';

const dir = mkdtempSync(join(tmpdir(), 'sonofuse-open-browser-'));

/** A stand-in browser: writes its arguments one per line, then runs until killed (or exits at once). */
const fakeBrowser = (name: string, stays: boolean): { path: string; argsFile: string } => {
  const argsFile = join(dir, `${name}.args`);
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}.part'\nmv '${argsFile}.part' '${argsFile}'\n${stays ? 'exec sleep 60' : 'exit 0'}\n`,
  );
  chmodSync(path, 0o755);
  return { path, argsFile };
};

const url = 'http://127.0.0.1:5/#launch=' + 'c0'.repeat(16);

describe('openInLocalBrowser', () => {
  it('starts the browser on a throwaway 0700 profile and removes it on close', async () => {
    const browser = fakeBrowser('stays', true);
    const opened = openInLocalBrowser(url, {
      env: { DISPLAY: ':0' },
      candidates: [browser.path],
      tempDir: dir,
    });
    expect(opened).not.toBeNull();
    expect(opened!.browser).toBe(browser.path);
    expect(statSync(opened!.profileDir).mode & 0o777).toBe(0o700);
    await expect.poll(() => existsSync(browser.argsFile)).toBe(true);
    const args = readFileSync(browser.argsFile, 'utf8').trim().split('\n');
    expect(args).toContain(`--user-data-dir=${opened!.profileDir}`);
    expect(args).toContain(`--app=${url}`);
    await opened!.close();
    expect(existsSync(opened!.profileDir)).toBe(false);
  });

  it('removes the profile when the browser exits by itself', async () => {
    const browser = fakeBrowser('leaves', false);
    const opened = openInLocalBrowser(url, {
      env: { DISPLAY: ':0' },
      candidates: [browser.path],
      tempDir: dir,
    });
    await expect.poll(() => existsSync(opened!.profileDir)).toBe(false);
    await opened!.close();
  });

  it('opens nothing without a display or a browser', () => {
    const browser = fakeBrowser('unused', true);
    if (process.platform === 'linux')
      expect(openInLocalBrowser(url, { env: {}, candidates: [browser.path], tempDir: dir })).toBeNull();
    expect(
      openInLocalBrowser(url, { env: { DISPLAY: ':0' }, candidates: [join(dir, 'nope')], tempDir: dir }),
    ).toBeNull();
  });

  it('sweeps profiles left by a killed host, keeping those of running or just-started browsers', () => {
    const temp = mkdtempSync(join(tmpdir(), 'sonofuse-sweep-'));
    const profile = (name: string, lockPid: number | null, ageS: number): string => {
      const d = join(temp, `sonofuse-browser-${name}`);
      mkdirSync(d);
      if (lockPid !== null) symlinkSync(`host-${lockPid}`, join(d, 'SingletonLock'));
      const t = Date.now() / 1000 - ageS;
      utimesSync(d, t, t);
      return d;
    };
    const dead = profile('dead', 2 ** 22 + 12345, 3600); // above any pid_max default: no such process
    const running = profile('running', process.pid, 3600);
    const orphan = profile('orphan', null, 3600);
    const starting = profile('starting', null, 0);
    mkdirSync(join(temp, 'unrelated'));
    expect(sweepStaleProfiles(temp)).toBe(2);
    expect([dead, running, orphan, starting].map((d) => existsSync(d))).toEqual([false, true, false, true]);
    expect(existsSync(join(temp, 'unrelated'))).toBe(true);
  });
});
