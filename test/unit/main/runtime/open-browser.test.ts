import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInLocalBrowser } from '../../../../main/runtime/open-browser';

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
});
