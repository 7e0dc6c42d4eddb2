import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateInFolder, resolveInside } from '../../../../main/security/path-guard';

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

describe('locateInFolder', () => {
  const root = mkdtempSync(join(tmpdir(), 'sonofuse-locate-'));
  mkdirSync(join(root, 'a'));
  writeFileSync(join(root, 'a', 'f.png'), 'x');
  writeFileSync(join(root, '..name.png'), 'x');
  const outside = mkdtempSync(join(tmpdir(), 'sonofuse-outside-'));
  writeFileSync(join(outside, 'secret.png'), 's');
  symlinkSync(outside, join(root, 'out'));
  symlinkSync(join(outside, 'secret.png'), join(root, 'a', 'leak.png'));
  symlinkSync(join(root, 'a'), join(root, 'also-a'));
  symlinkSync(join(outside, 'missing.png'), join(root, 'a', 'dangling-out.png'));
  symlinkSync(join(root, 'a', 'missing.png'), join(root, 'a', 'dangling-in.png'));
  symlinkSync(join(root, 'a', 'loop-2.png'), join(root, 'a', 'loop-1.png'));
  symlinkSync(join(root, 'a', 'loop-1.png'), join(root, 'a', 'loop-2.png'));

  it('judges a dangling link by its target: outside stays outside whether or not the target exists', async () => {
    expect(await locateInFolder(root, 'a/dangling-out.png')).toMatchObject({ inside: false });
    expect(await locateInFolder(root, 'a/leak.png')).toMatchObject({ inside: false });
    expect(await locateInFolder(root, 'a/dangling-in.png')).toEqual({
      inside: true,
      path: join(root, 'a', 'dangling-in.png'),
    });
    // A loop fails realpath with ELOOP, not ENOENT: judged by its folder; reading it then fails.
    expect(await locateInFolder(root, 'a/loop-1.png')).toMatchObject({ inside: true });
  });

  it('finds files inside, through links that stay inside, and missing files by their folder', async () => {
    expect(await locateInFolder(root, 'a/f.png')).toEqual({ inside: true, path: join(root, 'a', 'f.png') });
    expect(await locateInFolder(root, 'also-a/f.png')).toEqual({
      inside: true,
      path: join(root, 'a', 'f.png'),
    });
    expect(await locateInFolder(root, '..name.png')).toMatchObject({ inside: true });
    expect(await locateInFolder(root, join(root, 'a', 'f.png'))).toMatchObject({ inside: true });
    expect(await locateInFolder(root, 'a/missing/deeper.png')).toEqual({
      inside: true,
      path: join(root, 'a', 'missing', 'deeper.png'),
    });
  });

  it.each([
    ['parent escape', '../x.png'],
    ['absolute path', '/etc/passwd'],
    ['a link to a file outside', 'a/leak.png'],
    ['a linked folder that leads out', 'out/secret.png'],
    ['a missing file under a linked folder that leads out', 'out/missing.png'],
    ['a missing file outside', '../nowhere/missing.png'],
    ['NUL byte', 'a/f.png\0'],
  ])('reports %s as outside', async (_name, path) => {
    expect((await locateInFolder(root, path)).inside).toBe(false);
  });
});
