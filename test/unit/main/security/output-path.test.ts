import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputPath } from '../../../../main/security/output-path';

describe('checkOutputPath (paths the window asks main to write)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-out-'));
  it('accepts a new or existing regular file with an expected extension', () => {
    expect(checkOutputPath(join(dir, 'report.html'), ['.html'])).toBe(join(dir, 'report.html'));
    writeFileSync(join(dir, 'old.CSV'), 'x');
    expect(checkOutputPath(join(dir, 'old.CSV'), ['.csv'])).toBe(join(dir, 'old.CSV'));
  });

  it.each([
    ['a relative path', 'report.html', /full path/],
    ['a NUL byte', `${dir}/a\0.html`, /NUL/],
    ['another extension', `${dir}/catalog.db`, /must end in \.html/],
    ['a dotfile', `${dir}/.bashrc`, /must end in \.html/],
    ['a missing folder', `${dir}/nope/report.html`, /folder does not exist/],
  ])('refuses %s with a typed error', (_what, path, message) => {
    expect(() => checkOutputPath(path, ['.html'])).toThrow(message);
    try {
      checkOutputPath(path, ['.html']);
    } catch (e) {
      expect((e as { code: string }).code).toBe('INVALID_INPUT');
    }
  });

  it('refuses a symbolic link or a folder at the target', () => {
    writeFileSync(join(dir, 'real.txt'), 'keep');
    symlinkSync(join(dir, 'real.txt'), join(dir, 'link.html'));
    expect(() => checkOutputPath(join(dir, 'link.html'), ['.html'])).toThrow(/symbolic link/);
    mkdirSync(join(dir, 'folder.html'));
    expect(() => checkOutputPath(join(dir, 'folder.html'), ['.html'])).toThrow(/other than a file/);
  });
});
