import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  DATASETS,
  freshCatalog,
  importOptions,
  makeImage,
  tempDir,
  writeFile,
} from './support/catalog-fixtures';

const countBy = (values: string[]): Record<string, number> =>
  values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

describe('manifest import', () => {
  it('reads the convention with a column mapping, typed metadata, notes and groups; bad rows become errors', async () => {
    const root = tempDir('sonofuse-manifest-');
    for (let i = 1; i <= 4; i++) writeFile(root, `images/s${i}.png`, await makeImage(10, 10, 300 + i));
    writeFile(root, 'images/folder.png/keep', 'x'); // a folder where a file is expected
    const lines = [
      'path,diagnosis,subject,note,ga_weeks,scan_date,view',
      's1.png,cyst,P1,"Anechoic, thin wall",21.5,2024-03-01,sagittal',
      's2.png,solid,P1,,30,2024-03-09,axial',
      's3.png,cyst,P2,"multi',
      'line note",12,2024-04-01,axial',
      'missing.png,solid,P3,,,,',
      'too,many,fields,here,1,2,3,4',
      'folder.png,solid,P4,,,,',
      's4.png,,P4,Caf\u00e9 au lait,,,',
    ];
    const body = Buffer.from(lines.join('\n') + '\n', 'utf8');
    // Row "s4.png" holds a Latin-1 é (0xE9): not valid UTF-8.
    const latin1 = Buffer.concat([
      body.subarray(0, body.indexOf('Caf') + 3),
      Buffer.from([0xe9]),
      body.subarray(body.indexOf('Caf') + 5),
    ]);
    writeFileSync(join(root, 'manifest.csv'), latin1);
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({
        source: join(root, 'manifest.csv'),
        dataset: 'm',
        mapping: { path: 'file', diagnosis: 'label', subject: 'patient_id' },
      }),
    );
    expect(report.imported).toBe(3);
    expect(report.labels).toEqual({ cyst: 2, solid: 1 });
    expect(report.errors.map((e) => [e.file, e.line, e.code])).toEqual([
      ['too', 7, 'malformed-row'],
      ['s4.png', 9, 'encoding'],
      ['missing.png', 6, 'not-found'],
      ['folder.png', 8, 'unreadable'],
    ]);
    const items = catalog.images({
      task: 'label',
      sort: { by: 'file', dir: 'asc' },
      offset: 0,
      limit: 10,
    }).items;
    expect(items.map((i) => [i.file, i.labels, i.patient])).toEqual([
      ['s1.png', ['cyst'], 'P1'],
      ['s2.png', ['solid'], 'P1'],
      ['s3.png', ['cyst'], 'P2'],
    ]);
    const s1 = catalog.image(items[0]!.id);
    expect(s1.note).toBe('Anechoic, thin wall');
    expect(s1.metadata).toEqual([
      { key: 'ga_weeks', type: 'number', value: 21.5 },
      { key: 'scan_date', type: 'date', value: '2024-03-01' },
      { key: 'view', type: 'category', value: 'sagittal' },
    ]);
    expect(catalog.image(items[2]!.id).note).toBe('multi\nline note');
    catalog.close();
  });

  it('refuses a manifest without a file column, and splits multi-label cells', async () => {
    const root = tempDir('sonofuse-manifest-');
    writeFile(root, 'manifest.csv', 'name,label\na.png,x\n');
    const { catalog } = freshCatalog();
    await expect(
      catalog.import(importOptions({ source: join(root, 'manifest.csv'), dataset: 'x' })),
    ).rejects.toThrow(/no "file" column/);
    writeFile(root, 'images/a.png', await makeImage(5, 5, 1));
    writeFile(root, 'multi.csv', 'file,label\na.png,brain; heart|brain\n');
    const report = await catalog.import(
      importOptions({ source: join(root, 'multi.csv'), dataset: 'ml', multiLabel: true, task: 'findings' }),
    );
    expect(report.labels).toEqual({ brain: 1, heart: 1 });
    expect(catalog.tasks(report.datasetId)).toEqual([
      {
        id: expect.any(Number),
        datasetId: report.datasetId,
        name: 'findings',
        kind: 'multi',
        raters: 1,
        classes: [
          { name: 'brain', parent: null, colour: null },
          { name: 'heart', parent: null, colour: null },
        ],
      },
    ]);
    catalog.close();
  });

  it('imports all of BUSI in place with the exact class counts (one cross-class duplicate reported)', async () => {
    const manifest = join(DATASETS, 'busi', 'manifest.csv');
    const rows = parse(readFileSync(manifest), { columns: true }) as Array<{ label: string }>;
    expect(countBy(rows.map((r) => r.label))).toEqual({ benign: 437, malignant: 210, normal: 133 });
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: manifest, dataset: 'busi', referenceInPlace: true, thumbnails: false }),
    );
    expect(report.total).toBe(780);
    expect(report.errors).toEqual([]);
    // BUSI ships malignant_145.png byte-identical to benign_433.png: stored once, reported, label conflict flagged.
    expect(report.duplicates).toEqual([
      { file: 'malignant/malignant_145.png', duplicateOf: 'benign/benign_433.png', sameLabel: false },
    ]);
    expect(report.imported).toBe(779);
    const perClass = { ...report.labels };
    perClass.malignant! += report.duplicates.length;
    expect(perClass).toEqual({ benign: 437, malignant: 210, normal: 133 });
    const stats = catalog.stats(report.datasetId, 'label')[0]!;
    expect(stats).toMatchObject({
      images: 779,
      unlabeled: 0,
      labels: [
        { label: 'benign', count: 437 },
        { label: 'malignant', count: 209 },
        { label: 'normal', count: 133 },
      ],
    });
    catalog.close();
  });

  it('imports all of covid-notes with notes, typed metadata and patient groups', async () => {
    const manifest = join(DATASETS, 'covid-notes', 'manifest.csv');
    const rows = parse(readFileSync(manifest), { columns: true }) as Array<{
      label: string;
      patient_id: string;
      note: string;
    }>;
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: manifest, dataset: 'covid', referenceInPlace: true, thumbnails: false }),
    );
    expect(report).toMatchObject({ total: 396, imported: 396, errors: [], duplicates: [] });
    expect(report.labels).toEqual(countBy(rows.map((r) => r.label)));
    expect(report.labels).toEqual({ other_pneumonia: 64, covid: 321, normal: 11 });
    const db = catalog.db();
    expect(db.get('t', `SELECT count(*) AS n FROM groups WHERE kind = 'patient'`)).toEqual({ n: 231 });
    expect(db.get('t', 'SELECT count(*) AS n FROM notes')).toEqual({
      n: rows.filter((r) => r.note.trim()).length,
    });
    expect(
      db.get('t', `SELECT count(*) AS n FROM history WHERE origin = 'import' AND kind = 'label'`),
    ).toEqual({ n: 396 });
    expect(
      db.get('t', `SELECT type, count(*) AS n FROM image_metadata WHERE key = 'age' GROUP BY type`),
    ).toEqual({ type: 'number', n: expect.any(Number) });
    // Split by patient: no patient may appear in two parts of the real set.
    const split = catalog.createSplit({
      datasetId: report.datasetId,
      seed: 42,
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
      task: 'label',
    });
    expect(split.parts.reduce((n, p) => n + p.images, 0)).toBe(396);
    expect(split.parts.reduce((n, p) => n + p.groups, 0)).toBe(231);
    const parts = catalog.splitAssignments(split.id);
    const partOfPatient = new Map<string, string>();
    for (const item of catalog.images({
      datasetId: report.datasetId,
      task: 'label',
      sort: { by: 'id', dir: 'asc' },
      offset: 0,
      limit: 500,
    }).items) {
      const part = parts.get(item.id)!;
      expect(partOfPatient.get(item.patient!) ?? part).toBe(part);
      partOfPatient.set(item.patient!, part);
    }
    const inTest = catalog.images({
      datasetId: report.datasetId,
      task: 'label',
      splitId: split.id,
      parts: ['test'],
      sort: { by: 'id', dir: 'asc' },
      offset: 0,
      limit: 500,
    });
    expect(inTest.total).toBe(split.parts[2]!.images);
    expect(inTest.items.every((i) => i.part === 'test')).toBe(true);
    catalog.close();
  });
});
