import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  mkdirPrivate,
  restrictUmask,
  touchPrivate,
  writeFilePrivate,
} from '../../../../main/security/private-files';
import { tempDir } from '../catalog/support/catalog-fixtures';

const mode = (path: string): number => statSync(path).mode & 0o777;
let previous = 0;
beforeEach(() => {
  previous = process.umask(0o022); // an ordinary user's umask: 0644 files, 0755 folders
});
afterEach(() => {
  process.umask(previous);
});

describe('owner-only files', () => {
  it('creates missing folders 0700 and leaves existing ones as they are', () => {
    const root = tempDir();
    mkdirSync(join(root, 'mine'), { mode: 0o755 });
    mkdirPrivate(join(root, 'mine', 'a', 'b'));
    expect([
      mode(join(root, 'mine')),
      mode(join(root, 'mine', 'a')),
      mode(join(root, 'mine', 'a', 'b')),
    ]).toEqual([0o755, 0o700, 0o700]);
  });

  it('writes new files 0600 and tightens an existing 0644 file it overwrites', () => {
    const root = tempDir();
    writeFilePrivate(join(root, 'new.csv'), 'a');
    writeFileSync(join(root, 'old.csv'), 'x', { mode: 0o644 });
    expect(mode(join(root, 'old.csv'))).toBe(0o644);
    writeFilePrivate(join(root, 'old.csv'), 'b');
    touchPrivate(join(root, 'empty.db'));
    expect([mode(join(root, 'new.csv')), mode(join(root, 'old.csv')), mode(join(root, 'empty.db'))]).toEqual([
      0o600, 0o600, 0o600,
    ]);
  });

  it('touches without opening an existing file for writing (a read-only catalog stays openable)', () => {
    const root = tempDir();
    writeFileSync(join(root, 'ro.db'), 'x', { mode: 0o444 });
    touchPrivate(join(root, 'ro.db'));
    expect([readFileSync(join(root, 'ro.db'), 'utf8'), mode(join(root, 'ro.db'))]).toEqual(['x', 0o444]);
  });

  it('sets the process umask to 077, so files made without a mode are 0600', () => {
    expect(restrictUmask()).toBe(0o022);
    const root = tempDir();
    writeFileSync(join(root, 'plain.txt'), 'x');
    mkdirSync(join(root, 'plain'));
    expect([mode(join(root, 'plain.txt')), mode(join(root, 'plain'))]).toEqual([0o600, 0o700]);
  });
});
