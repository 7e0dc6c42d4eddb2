import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { captureIo } from '../../../support/capture-io';
import { makeImage, tempDir, writeFile } from '../catalog/support/catalog-fixtures';

describe('sonofuse catalog rename-dataset / delete-dataset', () => {
  it('renames, refuses a delete without --yes, deletes with it, and the dataset leaves the stats', async () => {
    const root = tempDir('sonofuse-cli-ds-');
    writeFile(root, 'x/1.png', await makeImage(5, 5, 1));
    const db = join(tempDir(), 'cli.db');
    expect(
      await runCli(['import', root, '--db', db, '--dataset', 'old', '--no-thumbnails'], captureIo()),
    ).toBe(0);

    const renamed = captureIo();
    expect(
      await runCli(
        ['catalog', 'rename-dataset', '--db', db, '--dataset', 'old', '--name', 'new', '--user', 'ann'],
        renamed,
      ),
    ).toBe(0);
    expect(renamed.stdout).toEqual(['Renamed dataset "old" to "new".']);

    const refused = captureIo();
    expect(await runCli(['catalog', 'delete-dataset', '--db', db, '--dataset', 'new'], refused)).toBe(2);
    expect(refused.stderr.join('\n')).toMatch(/delete-dataset needs --yes/);

    const deleted = captureIo();
    expect(
      await runCli(
        ['catalog', 'delete-dataset', '--db', db, '--dataset', 'new', '--yes', '--user', 'ann', '--json'],
        deleted,
      ),
    ).toBe(0);
    expect(JSON.parse(deleted.stdout[0]!)).toMatchObject({ name: 'new', user: 'ann' });

    const stats = captureIo();
    expect(await runCli(['catalog', 'stats', '--db', db, '--json'], stats)).toBe(0);
    expect(JSON.parse(stats.stdout[0]!).datasets).toEqual([]);
    const missing = captureIo();
    expect(
      await runCli(['catalog', 'delete-dataset', '--db', db, '--dataset', 'new', '--yes'], missing),
    ).toBe(2);
    expect(missing.stderr.join('\n')).toMatch(/no dataset named "new"/);
  });
});
