import { closeSync, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_MANIFEST_RECORD_CHARS, MAX_NOTE_CHARS } from '../../../../shared/contract/catalog';
import { OUTSIDE_REASON } from '../../../../main/catalog/import-confinement';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

const MB = 1024 ** 2;

/** Hostile manifests, imported through the catalog service as a user would. */
describe('manifest import under hostile input', () => {
  it('imports the other rows of a manifest with one 50 MB line, reports that row, and stays bounded in memory', async () => {
    const root = tempDir('sonofuse-hostile-');
    for (let i = 1; i <= 3; i++) writeFile(root, `images/${i}.png`, await makeImage(6, 6, 500 + i));
    const path = join(root, 'manifest.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, 'file,label,note\n1.png,a,first\n2.png,b,');
    const block = Buffer.alloc(MB, 'n'); // written in blocks: the test itself never holds 50 MB
    for (let i = 0; i < 50; i++) writeSync(fd, block);
    writeSync(fd, '\n3.png,a,"last, ""quoted"""\n');
    closeSync(fd);
    const { catalog } = freshCatalog();
    const before = process.memoryUsage().rss;
    let peak = before;
    const stop = catalog.onImportProgress(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    });
    const report = await catalog.import(importOptions({ source: path, dataset: 'big', thumbnails: false }));
    peak = Math.max(peak, process.memoryUsage().rss);
    stop();
    expect(report.imported).toBe(2);
    expect(report.labels).toEqual({ a: 2 });
    expect(report.errors).toEqual([
      {
        file: 'manifest.csv',
        line: 3,
        code: 'too-large',
        reason: `row of ${(50 * MB + 8).toLocaleString('en')} characters (line 3) is over the limit of ${MAX_MANIFEST_RECORD_CHARS.toLocaleString('en')}: not read`,
      },
    ]);
    // The whole file is 50 MB; reading it whole took several times that (2.3 GB for 200 MB).
    expect(peak - before).toBeLessThan(300 * MB);
    catalog.close();
  });

  it('refuses a note or metadata cell over the limit with its row and reason, imports the rest', async () => {
    const root = tempDir('sonofuse-hostile-');
    for (let i = 1; i <= 3; i++) writeFile(root, `${i}.png`, await makeImage(6, 6, 520 + i));
    const long = 'x'.repeat(MAX_NOTE_CHARS + 1);
    writeFile(
      root,
      'm.csv',
      `file,note,site\n1.png,${long},A\n2.png,ok,${long}\n3.png,${'y'.repeat(MAX_NOTE_CHARS)},B\n`,
    );
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: join(root, 'm.csv'), dataset: 'n', thumbnails: false }),
    );
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.file, e.line, e.code, e.reason])).toEqual([
      ['1.png', 2, 'too-large', 'the "note" cell holds 100,001 characters, over the limit of 100,000'],
      ['2.png', 3, 'too-large', 'the "site" cell holds 100,001 characters, over the limit of 100,000'],
    ]);
    catalog.close();
  });

  it('refuses a malformed header with its line number instead of taking the next row as header', async () => {
    const root = tempDir('sonofuse-hostile-');
    writeFile(root, '1.png', await makeImage(6, 6, 530));
    const { catalog } = freshCatalog();
    const cases: Array<[string, string]> = [
      ['\n\nfile,"label"x\nfile,label\n1.png,a\n', 'the manifest header (line 3) is malformed CSV'],
      ['file,label,file\n1.png,a,b\n', 'the manifest header (line 1) names the column "file" twice'],
      [
        `file,${'c'.repeat(101)}\n1.png,a\n`,
        'the manifest header (line 1) has a column name over 100 characters',
      ],
      ['', 'the manifest is empty'],
    ];
    for (const [i, [text, message]] of cases.entries()) {
      writeFile(root, `h${i}.csv`, text);
      await expect(
        catalog.import(
          importOptions({ source: join(root, `h${i}.csv`), dataset: `h${i}`, thumbnails: false }),
        ),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(message) });
    }
    catalog.close();
  });

  it('stores columns named constructor, __proto__ and toString as plain metadata keys, mapped or not', async () => {
    const root = tempDir('sonofuse-hostile-');
    writeFile(root, '1.png', await makeImage(6, 6, 540));
    writeFile(root, 'm.csv', 'path,constructor,__proto__,toString,hasOwnProperty\n1.png,c1,p1,t1,h1\n');
    writeFile(root, 'plain.csv', 'file,constructor,valueOf\n1.png,c2,v2\n');
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({
        source: join(root, 'm.csv'),
        dataset: 'proto',
        thumbnails: false,
        mapping: { path: 'file', constructor: 'ctor' },
      }),
    );
    expect(report.errors).toEqual([]);
    const [image] = catalog.images({
      task: 'label',
      sort: { by: 'file', dir: 'asc' },
      offset: 0,
      limit: 5,
    }).items;
    expect(catalog.image(image!.id).metadata.map((m) => [m.key, m.value])).toEqual([
      ['__proto__', 'p1'],
      ['ctor', 'c1'],
      ['hasOwnProperty', 'h1'],
      ['toString', 't1'],
    ]);
    const plain = await catalog.import(
      importOptions({ source: join(root, 'plain.csv'), dataset: 'plain', thumbnails: false }),
    );
    const [again] = catalog.images({
      datasetId: plain.datasetId,
      task: 'label',
      sort: { by: 'file', dir: 'asc' },
      offset: 0,
      limit: 5,
    }).items;
    expect(catalog.image(again!.id).metadata.map((m) => [m.key, m.value])).toEqual([
      ['constructor', 'c2'],
      ['valueOf', 'v2'],
    ]);
    catalog.close();
  });

  it('reads only files inside the manifest folder by default; the option allows others with a notice', async () => {
    const base = tempDir('sonofuse-hostile-');
    const root = join(base, 'set');
    mkdirSync(root);
    writeFile(base, 'outside/x.png', await makeImage(6, 6, 550));
    writeFile(base, 'outside/y.png', await makeImage(6, 6, 551));
    writeFile(root, 'in.png', await makeImage(6, 6, 552));
    symlinkSync(join(base, 'outside'), join(root, 'linked')); // a folder inside that leads out
    const rows = [
      'file,label',
      'in.png,a',
      '../outside/x.png,a',
      `${join(base, 'outside', 'y.png')},a`,
      'linked/x.png,a',
      '../outside/missing.png,a',
      '/etc/passwd,a',
      'linked/missing.png,a',
      'absent.png,a',
    ];
    writeFile(root, 'm.csv', `${rows.join('\n')}\n`);
    const { catalog } = freshCatalog();
    const confined = await catalog.import(
      importOptions({ source: join(root, 'm.csv'), dataset: 'confined', thumbnails: false }),
    );
    expect(confined.imported).toBe(1);
    expect(confined.notices.filter((n) => n.includes('outside'))).toEqual([]);
    expect(confined.errors.map((e) => [e.line, e.code, e.reason])).toEqual([
      [3, 'outside-folder', OUTSIDE_REASON],
      [4, 'outside-folder', OUTSIDE_REASON],
      [5, 'outside-folder', OUTSIDE_REASON],
      // Missing or present, outside reads the same: the reason does not tell whether it exists.
      [6, 'outside-folder', OUTSIDE_REASON],
      [7, 'outside-folder', OUTSIDE_REASON],
      [8, 'outside-folder', OUTSIDE_REASON],
      [9, 'not-found', 'file not found'],
    ]);
    const allowed = await catalog.import(
      importOptions({
        source: join(root, 'm.csv'),
        dataset: 'allowed',
        thumbnails: false,
        allowOutsidePaths: true,
      }),
    );
    // x.png twice (by ../ and through the link): one import, one duplicate.
    expect([allowed.imported, allowed.duplicates.length]).toEqual([3, 1]);
    expect(allowed.errors.map((e) => [e.line, e.code])).toEqual([
      [6, 'not-found'],
      [7, 'not-an-image'],
      [8, 'not-found'],
      [9, 'not-found'],
    ]);
    expect(allowed.notices).toContain(
      `Paths outside the manifest's folder were allowed: 6 row(s) pointed outside ${root}.`,
    );
    catalog.close();
  });
});

/** Folder imports: a link inside the chosen folder is confined like a manifest row. */
describe('folder import under hostile links', () => {
  it('refuses a file link that leads out of the folder (same reason whether the target exists), imports links inside, and reads outside links only when allowed', async () => {
    const root = tempDir('sonofuse-hostile-folder-');
    writeFile(root, 'outside/secret.png', await makeImage(6, 6, 601));
    writeFile(root, 'set/a/1.png', await makeImage(6, 6, 602));
    symlinkSync(join(root, 'set/a/1.png'), join(root, 'set/a/inside-link.png'));
    symlinkSync(join(root, 'outside/secret.png'), join(root, 'set/a/out-link.png'));
    symlinkSync(join(root, 'outside/missing.png'), join(root, 'set/a/out-missing.png'));
    symlinkSync('/etc/passwd', join(root, 'set/a/passwd.png'));
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: join(root, 'set'), dataset: 'f', thumbnails: false }),
    );
    // 1.png and its link inside the folder are one image (the link is a duplicate of it).
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.file, e.code, e.reason])).toEqual([
      ['a/out-link.png', 'outside-folder', OUTSIDE_REASON],
      ['a/out-missing.png', 'outside-folder', OUTSIDE_REASON],
      ['a/passwd.png', 'outside-folder', OUTSIDE_REASON],
    ]);
    expect(report.notices).toEqual([]);
    catalog.close();

    const allowed = freshCatalog().catalog;
    const open = await allowed.import(
      importOptions({ source: join(root, 'set'), dataset: 'f', thumbnails: false, allowOutsidePaths: true }),
    );
    expect(open.imported).toBe(2); // 1.png and the outside secret.png
    expect(open.errors.map((e) => [e.file, e.code])).toEqual([
      ['a/out-missing.png', 'not-found'],
      ['a/passwd.png', 'not-an-image'],
    ]);
    expect(open.notices).toContain(
      `Links outside the imported folder were allowed: 3 file(s) pointed outside ${join(root, 'set')}.`,
    );
    allowed.close();
  });
});
