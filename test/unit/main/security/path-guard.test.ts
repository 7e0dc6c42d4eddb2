import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from '../../../../main/security/path-guard';

describe('resolveInside', () => {
  const root = mkdtempSync(join(tmpdir(), 'sonofuse-guard-'));
  mkdirSync(join(root, 'a'));
  writeFileSync(join(root, 'a', 'f.txt'), 'x');
  const outside = mkdtempSync(join(tmpdir(), 'sonofuse-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 's');
  symlinkSync(outside, join(root, 'link'));

  it('resolves plain and encoded relative paths inside the root', () => {
    expect(resolveInside(root, 'a/f.txt')).toBe(join(root, 'a', 'f.txt'));
    expect(resolveInside(root, 'a%2Ff.txt')).toBe(join(root, 'a', 'f.txt'));
    expect(resolveInside(root, 'a/missing.txt')).toBe(join(root, 'a', 'missing.txt'));
  });

  it.each([
    ['parent escape', '../x'],
    ['encoded parent escape', '%2e%2e/x'],
    ['deep escape', 'a/../../x'],
    ['absolute path', '/etc/passwd'],
    ['encoded absolute path', '%2Fetc%2Fpasswd'],
    ['backslash', 'a\\..\\..\\x'],
    ['NUL byte', 'a/f.txt\0.png'],
    ['encoded NUL', 'a/f.txt%00.png'],
    ['bad escape', '%E0%A4%A'],
    ['symlink out of the root', 'link/secret.txt'],
  ])('refuses %s', (_what, path) => {
    expect(resolveInside(root, path)).toBeNull();
  });
});
