import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeImage, tempDir, writeFile } from '../catalog/support/catalog-fixtures';

const run = promisify(execFile);
const mode = (path: string): number => statSync(path).mode & 0o777;

describe('the sonofuse command (main/cli/bin.mjs)', () => {
  it('runs with umask 077: what it writes without an explicit mode (a CSV export) is still 0600', async () => {
    const images = tempDir('sonofuse-bin-img-');
    writeFile(images, 'k/1.png', await makeImage(4, 4, 3));
    const out = tempDir('sonofuse-bin-out-');
    const db = join(out, 'ws', 'catalog.db');
    const previous = process.umask(0o022); // the child inherits an ordinary user's umask
    try {
      const cli = (...args: string[]) => run(process.execPath, ['main/cli/bin.mjs', ...args]);
      await cli('import', images, '--db', db, '--dataset', 'd', '--json');
      await cli('catalog', 'export', '--db', db, '--dataset', 'd', '--out', join(out, 'export.csv'));
    } finally {
      process.umask(previous);
    }
    expect(mode(join(out, 'export.csv'))).toBe(0o600);
    expect([mode(join(out, 'ws')), mode(db)]).toEqual([0o700, 0o600]);
  }, 60_000);
});
