import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ImageQuery } from '../../../../shared/contract/catalog';
import { FORMULA_TRIGGERS } from '../../../../shared/csv/csv-writer';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

describe('export and backup', () => {
  it('exports labels, notes and metadata in the manifest convention and imports back the same', async () => {
    const root = tempDir('sonofuse-export-');
    for (let i = 1; i <= 3; i++) writeFile(root, `images/${i}.png`, await makeImage(6, 6, 700 + i));
    writeFile(
      root,
      'manifest.csv',
      'file,label,patient_id,note,ga\n1.png,a,P1,"Note, with ""quotes""",20\n2.png,b,P1,,31.5\n3.png,,P2,plain,\n',
    );
    const { catalog, dir } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: join(root, 'manifest.csv'), dataset: 'x', thumbnails: false }),
    );
    const split = catalog.createSplit({
      datasetId: report.datasetId,
      seed: 1,
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
      task: 'label',
    });
    const csvPath = join(dir, 'export.csv');
    expect(
      catalog.export({
        datasetId: report.datasetId,
        path: csvPath,
        format: 'csv',
        splitId: split.id,
        task: 'label',
      }).rows,
    ).toBe(3);
    const rows = parse(readFileSync(csvPath), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.file, r.label, r.patient_id, r.note, r.ga])).toEqual([
      ['1.png', 'a', 'P1', 'Note, with "quotes"', '20'],
      ['2.png', 'b', 'P1', '', '31.5'],
      ['3.png', '', 'P2', 'plain', ''],
    ]);
    expect(rows[0]!.split).toBe(rows[1]!.split); // same patient, same part
    const jsonPath = join(dir, 'export.json');
    catalog.export({ datasetId: report.datasetId, path: jsonPath, format: 'json', task: 'label' });
    expect(JSON.parse(readFileSync(jsonPath, 'utf8'))[1]).toMatchObject({
      file: '2.png',
      label: 'b',
      ga: 31.5,
    });
    // Round trip: the CSV export is a manifest.
    writeFile(root, 'again.csv', readFileSync(csvPath));
    const again = await catalog.import(
      importOptions({ source: join(root, 'again.csv'), dataset: 'again', thumbnails: false }),
    );
    expect(again).toMatchObject({ imported: 3, labels: { a: 1, b: 1 } });
    catalog.close();
  });

  it('says per label whether it was imported, typed or an accepted suggestion, and a re-import skips those columns', async () => {
    const root = tempDir('sonofuse-export-source-');
    for (let i = 1; i <= 4; i++) writeFile(root, `images/${i}.png`, await makeImage(6, 6, 900 + i));
    writeFile(root, 'manifest.csv', 'file,label\n1.png,a\n2.png,b\n3.png,\n4.png,\n');
    const { catalog, dir } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: join(root, 'manifest.csv'), dataset: 's', thumbnails: false }),
    );
    const ids = catalog
      .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
      .items.map((i) => i.id);
    const user = 'ana';
    catalog.setLabels({ imageId: ids[2]!, task: 'label', labels: ['a'], user, reason: '' });
    catalog.setLabels({
      imageId: ids[3]!,
      task: 'label',
      labels: ['b'],
      user,
      reason: '',
      suggestion: { modelId: 'features-3', p: 0.875 },
    });
    // An accepted suggestion later undone falls back to what was there before (the import).
    const undone = catalog.setLabels({
      imageId: ids[0]!,
      task: 'label',
      labels: ['b'],
      user,
      reason: '',
      suggestion: { modelId: 'features-3', p: 0.6 },
    });
    catalog.undo(user, user, undone.batchId!);
    const csvPath = join(dir, 'export.csv');
    catalog.export({ datasetId: report.datasetId, path: csvPath, format: 'csv', task: 'label' });
    const rows = parse(readFileSync(csvPath), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.file, r.label, r.label_source, r.suggestion_model, r.suggestion_p])).toEqual([
      ['1.png', 'a', 'import', '', ''],
      ['2.png', 'b', 'import', '', ''],
      ['3.png', 'a', 'typed', '', ''],
      ['4.png', 'b', 'suggestion', 'features-3', '0.875'],
    ]);
    const jsonPath = join(dir, 'export.json');
    catalog.export({ datasetId: report.datasetId, path: jsonPath, format: 'json', task: 'label' });
    expect(JSON.parse(readFileSync(jsonPath, 'utf8'))[3]).toMatchObject({
      label_source: 'suggestion',
      suggestion_p: 0.875,
    });
    writeFile(root, 'again.csv', readFileSync(csvPath));
    const again = await catalog.import(
      importOptions({ source: join(root, 'again.csv'), dataset: 'again', thumbnails: false }),
    );
    expect(again.imported).toBe(4);
    const first = catalog.images(
      ImageQuery.parse({ datasetId: again.datasetId, task: 'label', offset: 0, limit: 1 }),
    ).items[0]!;
    const keys = catalog.image(first.id, 'label').metadata.map((m) => m.key);
    expect(keys).not.toContain('label_source');
    expect(keys).not.toContain('suggestion_p');
    expect(keys).toContain('sha256'); // other export columns still come back as metadata (unchanged)
    catalog.close();
  });

  it('exports the import report and makes an online backup that passes integrity_check', async () => {
    const root = tempDir('sonofuse-report-');
    writeFile(root, 'k/good.png', await makeImage(6, 6, 1));
    writeFile(root, 'k/bad.png', 'nope');
    const { catalog, dir } = freshCatalog();
    const report = await catalog.import(importOptions({ source: root, dataset: 'r', thumbnails: false }));
    const csv = join(dir, 'report.csv');
    expect(catalog.exportImportReport({ importId: report.importId, path: csv, format: 'csv' }).rows).toBe(1);
    expect(readFileSync(csv, 'utf8')).toBe(
      'kind,file,line,code,reason\nerror,k/bad.png,,not-an-image,not an image (unrecognised content)\n',
    );
    const json = join(dir, 'report.json');
    catalog.exportImportReport({ importId: report.importId, path: json, format: 'json' });
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ imported: 1, status: 'done' });
    const backup = await catalog.backup(join(dir, 'backup.db'));
    expect(backup.bytes).toBeGreaterThan(0);
    const copy = new Database(backup.path, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT count(*) AS n FROM images').get()).toEqual({ n: 1 });
    copy.close();
    catalog.close();
  });

  it('neutralises formula cells (every trigger) in the dataset export and the import report export', async () => {
    const root = tempDir('sonofuse-formula-');
    // The manifest reader trims cells, so TAB and CR reach the catalog through setNote below.
    const printable = FORMULA_TRIGGERS.filter((c) => c !== '\t' && c !== '\r');
    const lines = ['file,label,patient_id,note,ward'];
    for (const [i, c] of printable.entries()) {
      writeFile(root, `images/${i}.png`, await makeImage(6, 6, 40 + i));
      lines.push(`${i}.png,${c}lbl${i},${c}P${i},${c}HYPERLINK(x),${c}2+3`);
    }
    lines.push(`"=cmd|' /C calc'!A0.png",x,P9,,`); // missing file: becomes an error line of the report
    writeFile(root, 'manifest.csv', `${lines.join('\n')}\n`);
    const { catalog, dir } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: join(root, 'manifest.csv'), dataset: 'f', thumbnails: false }),
    );
    expect(report.imported).toBe(printable.length);
    const first = catalog
      .images(ImageQuery.parse({ datasetId: report.datasetId, limit: 100 }))
      .items.find((image) => image.file === '0.png')!;
    for (const c of ['\t', '\r']) {
      catalog.setNote({ imageId: first.id, text: `${c}=1+1`, user: 't', reason: '' });
      const path = join(dir, 'export.csv');
      catalog.export({ datasetId: report.datasetId, path, format: 'csv', task: 'label' });
      const rows = parse(readFileSync(path), { columns: true }) as Array<Record<string, string>>;
      expect(rows.find((r) => r.file === '0.png')!.note).toBe(`'${c}=1+1`);
    }
    const path = join(dir, 'export.csv');
    catalog.setNote({ imageId: first.id, text: '=HYPERLINK(x)', user: 't', reason: '' });
    catalog.export({ datasetId: report.datasetId, path, format: 'csv', task: 'label' });
    const rows = parse(readFileSync(path), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.label, r.patient_id, r.note, r.ward])).toEqual(
      printable.map((c, i) => [
        `'${c}lbl${i}`,
        `'${c}P${i}`,
        `'${i === 0 ? '=' : c}HYPERLINK(x)`,
        `'${c}2+3`,
      ]),
    );
    // Every formula cell of the raw file is quoted: no line has an unquoted trigger after a comma.
    expect(readFileSync(path, 'utf8')).not.toMatch(/(^|,)[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/m);
    const reportPath = join(dir, 'report.csv');
    catalog.exportImportReport({ importId: report.importId, path: reportPath, format: 'csv' });
    const reportRows = parse(readFileSync(reportPath), { columns: true }) as Array<Record<string, string>>;
    expect(reportRows.map((r) => r.file)).toEqual([`'=cmd|' /C calc'!A0.png`]);
    catalog.close();
  });

  it('writes exports and import reports 0600, also over an existing world-readable file', async () => {
    const previous = process.umask(0o022);
    try {
      const root = tempDir('sonofuse-export-mode-');
      writeFile(root, 'k/1.png', await makeImage(4, 4, 5));
      const { catalog, dir } = freshCatalog();
      const report = await catalog.import(importOptions({ source: root, dataset: 'm', thumbnails: false }));
      const paths = ['a.csv', 'a.json', 'r.csv', 'r.json'].map((n) => join(dir, n));
      writeFileSync(paths[0]!, 'old', { mode: 0o644 });
      catalog.export({ datasetId: report.datasetId, path: paths[0]!, format: 'csv', task: 'label' });
      catalog.export({ datasetId: report.datasetId, path: paths[1]!, format: 'json', task: 'label' });
      catalog.exportImportReport({ importId: report.importId, path: paths[2]!, format: 'csv' });
      catalog.exportImportReport({ importId: report.importId, path: paths[3]!, format: 'json' });
      expect(paths.map((p) => statSync(p).mode & 0o777)).toEqual([0o600, 0o600, 0o600, 0o600]);
      catalog.close();
    } finally {
      process.umask(previous);
    }
  });
});
