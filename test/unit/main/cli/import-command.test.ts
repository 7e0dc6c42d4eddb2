import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { parseFrames, parseMapping } from '../../../../main/cli/commands/import-command';
import { captureIo } from '../../../support/capture-io';
import { makeImage, tempDir, writeFile } from '../catalog/support/catalog-fixtures';
import { jpegWithPhi, leaksPhi } from '../catalog/support/image-metadata-fixtures';

describe('sonofuse import / catalog', () => {
  it('refuses manifest rows outside the manifest folder unless --allow-outside-paths, and prints the notice', async () => {
    const base = tempDir('sonofuse-cli-');
    writeFile(base, 'elsewhere/o.png', await makeImage(5, 5, 9));
    writeFile(base, 'set/in.png', await makeImage(5, 5, 8));
    writeFile(base, 'set/m.csv', 'file,label\nin.png,a\n../elsewhere/o.png,b\n');
    const db = join(tempDir(), 'cli.db');
    const refused = captureIo();
    const args = ['import', join(base, 'set', 'm.csv'), '--db', db, '--no-thumbnails'];
    expect(await runCli([...args, '--dataset', 'in', '--json'], refused)).toBe(0);
    expect(JSON.parse(refused.stdout[0]!)).toMatchObject({
      imported: 1,
      notices: [],
      errors: [{ file: '../elsewhere/o.png', line: 3, code: 'outside-folder' }],
    });
    const allowed = captureIo();
    expect(await runCli([...args, '--dataset', 'all', '--allow-outside-paths'], allowed)).toBe(0);
    expect(allowed.stdout[0]).toBe(
      `Notice: Paths outside the manifest's folder were allowed: 1 row(s) pointed outside ${join(base, 'set')}.`,
    );
    // in.png is in dataset "in" already: the report says so (issue #16, item 4).
    expect(allowed.stdout[1]).toBe(
      'Notice: 1 imported image is already in another dataset (same content): in 1.',
    );
    expect(allowed.stdout[2]).toMatch(/^Imported 2 images into "all"/);
  });

  it('imports a folder and prints one JSON summary with duplicates and errors', async () => {
    const root = tempDir('sonofuse-cli-');
    writeFile(root, 'x/1.png', await makeImage(5, 5, 1));
    writeFile(root, 'x/1-again.png', await makeImage(5, 5, 1));
    writeFile(root, 'y/2.png', await makeImage(5, 5, 2));
    writeFile(root, 'y/empty.png', '');
    const db = join(tempDir(), 'cli.db');
    const io = captureIo();
    expect(
      await runCli(['import', root, '--db', db, '--dataset', 'cli', '--json', '--no-thumbnails'], io),
    ).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const summary = JSON.parse(io.stdout[0]!);
    expect(summary).toMatchObject({
      db,
      dataset: 'cli',
      imported: 2,
      duplicates: [{ file: 'x/1.png', duplicateOf: 'x/1-again.png', sameLabel: true }],
      errors: [{ file: 'y/empty.png', code: 'empty', reason: 'empty file (0 bytes)' }],
    });

    const text = captureIo();
    expect(
      await runCli(
        [
          'import',
          root,
          '--db',
          db,
          '--dataset',
          'cli',
          '--no-thumbnails',
          '--report',
          join(tempDir(), 'r.csv'),
        ],
        text,
      ),
    ).toBe(0);
    expect(text.stdout[0]).toMatch(
      /^Imported 0 images into "cli" \(done, [\d.]+ s\): 2 already present, 1 duplicates, 1 errors\.$/,
    );
    expect(text.stdout).toContain('  y/empty.png: empty file (0 bytes)');

    const stats = captureIo();
    expect(await runCli(['catalog', 'stats', '--db', db, '--json'], stats)).toBe(0);
    expect(JSON.parse(stats.stdout[0]!).datasets).toEqual([
      expect.objectContaining({
        name: 'cli',
        images: 2,
        unlabeled: 0,
        labels: [
          { label: 'x', count: 1 },
          { label: 'y', count: 1 },
        ],
      }),
    ]);
    const split = captureIo();
    expect(
      await runCli(['catalog', 'split', '--db', db, '--dataset', 'cli', '--seed', '3', '--json'], split),
    ).toBe(0);
    expect(JSON.parse(split.stdout[0]!)).toMatchObject({ name: 'seed3-70-15-15', reused: false });
    const human = captureIo();
    expect(await runCli(['catalog', 'stats', '--db', db], human)).toBe(0);
    expect(human.stdout[0]).toBe('cli (dataset 1): 2 images, 0 unlabeled');
    expect(human.stdout.some((l) => l.startsWith('  split seed3-70-15-15'))).toBe(true);
  });

  it('exports and backs up from the command line, and explains bad usage', async () => {
    const root = tempDir('sonofuse-cli-');
    writeFile(root, 'a/1.png', await makeImage(4, 4, 9));
    const dir = tempDir();
    const db = join(dir, 'c.db');
    await runCli(['import', root, '--db', db, '--json', '--no-thumbnails'], captureIo());
    const exported = captureIo();
    expect(
      await runCli(
        [
          'catalog',
          'export',
          '--db',
          db,
          '--dataset',
          root.split('/').pop()!,
          '--out',
          join(dir, 'e.csv'),
          '--json',
        ],
        exported,
      ),
    ).toBe(0);
    expect(JSON.parse(exported.stdout[0]!).rows).toBe(1);
    const backup = captureIo();
    expect(await runCli(['catalog', 'backup', '--db', db, '--out', join(dir, 'b.db')], backup)).toBe(0);
    expect(backup.stdout[0]).toMatch(/^Backed up the catalog to .*b\.db \(\d+ bytes\)$/);
    const bad = captureIo();
    expect(await runCli(['import', '--db', db], bad)).toBe(2);
    expect(bad.stderr.join('\n')).toContain('Usage: sonofuse import');
    const badMap = captureIo();
    expect(await runCli(['import', root, '--map', 'nope', '--db', db], badMap)).toBe(2);
    const badAction = captureIo();
    expect(await runCli(['catalog', 'frob', '--db', db], badAction)).toBe(2);
    const missing = captureIo();
    expect(await runCli(['catalog', 'stats', '--db', db, '--dataset', 'nope'], missing)).toBe(2);
    expect(missing.stderr.join('\n')).toContain('no dataset named "nope"');
  });

  it('stores copies without EXIF by default and keeps the original bytes with --keep-original-bytes', async () => {
    const root = tempDir('sonofuse-cli-');
    const jpeg = await jpegWithPhi();
    writeFile(root, 'k/a.jpg', jpeg);
    const db = join(tempDir(), 'cli.db');
    const stored = (dataset: string): Buffer => {
      const reader = new Database(db, { readonly: true });
      const row = reader
        .prepare('SELECT stored_path FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.name = ?')
        .get(dataset) as { stored_path: string };
      reader.close();
      return readFileSync(join(dirname(db), 'cli-store', row.stored_path));
    };
    const base = ['import', root, '--db', db, '--no-thumbnails'];
    expect(await runCli([...base, '--dataset', 'stripped'], captureIo())).toBe(0);
    expect(leaksPhi(stored('stripped'))).toBe(false);
    expect(await runCli([...base, '--dataset', 'kept', '--keep-original-bytes'], captureIo())).toBe(0);
    expect(stored('kept').equals(jpeg)).toBe(true);
  });

  it('parses column mappings and frame choices', () => {
    expect(parseMapping(['diagnosis=label', ' subject = patient_id'])).toEqual({
      diagnosis: 'label',
      subject: 'patient_id',
    });
    expect(() => parseMapping(['=x'])).toThrow(/old=new/);
    expect(parseFrames('middle')).toBe('middle');
    expect(parseFrames('every:5')).toEqual({ every: 5 });
    expect(parseFrames('0,4,8')).toEqual([0, 4, 8]);
    expect(() => parseFrames('some')).toThrow(/--frames/);
  });
});
