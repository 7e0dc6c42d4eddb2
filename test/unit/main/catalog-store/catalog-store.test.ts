import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageQuery, type ImageQueryInput } from '../../../../shared/contract/catalog';
import { AppError } from '../../../../shared/contract/result';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import type { CatalogStore, NewImage } from '../../../../main/catalog-store/catalog-store';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { createSqliteCatalogStore } from '../../../../main/catalog-store/sqlite-catalog-store';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';
import { tempDir } from '../catalog/support/catalog-fixtures';

/**
 * One suite, two backends: the same repository tests run against the SQLite store (today's code,
 * adapted) and the PostgreSQL store (a throwaway cluster, one fresh database per test).
 */
let cluster: PgCluster | null = null;
beforeAll(async () => {
  if (pgSkipReason === null) cluster = await startPgCluster();
}, 60_000);
afterAll(() => cluster?.stop());

const backends: Array<{ engine: 'sqlite' | 'postgres'; open: () => Promise<CatalogStore> }> = [
  {
    engine: 'sqlite',
    open: async () => {
      const catalog = createCatalogService({ dbPath: join(tempDir(), 'catalog.db') });
      catalog.setUserName('sonographer');
      return createSqliteCatalogStore(catalog);
    },
  },
  {
    engine: 'postgres',
    open: async () => openPgCatalogStore({ url: await cluster!.createDatabase() }),
  },
];

const CLASSES = ['head', 'abdomen', 'femur'];
/** Seed 42, 40/30/30 over 3 patients of 4 images: what split-builder.ts gives (the same on both engines). */
const PART_COUNTS = [
  ['train', 4, 1],
  ['validation', 4, 1],
  ['test', 4, 1],
];
const hash = (i: number): string => i.toString(16).padStart(64, '0');

/** 12 images: labels cycle head/abdomen/femur with every 4th unlabeled; 3 patients; metadata; notes. */
const fixture = (datasetId: number, user: string): NewImage[] =>
  Array.from({ length: 12 }, (_, i) => ({
    datasetId,
    sha256: hash(i + 1),
    frame: 0,
    file: `img-${String(11 - i).padStart(2, '0')}.png`,
    originalPath: `scans/img-${i}.png`,
    storedPath: `${hash(i + 1).slice(0, 2)}/${hash(i + 1)}.png`,
    format: 'png',
    sourceFormat: 'png',
    width: 100 + i,
    height: 80,
    bytes: 1000 + i,
    patient: `P${i % 3}`,
    metadata: {
      ga_weeks: String(18 + i),
      ...(i % 2 === 0 ? { probe: i % 4 === 0 ? 'convex' : 'linear' } : {}),
    },
    note:
      i % 3 === 0 ? `Cephalic presentation, scan ${i}` : i % 3 === 1 ? 'Breech; femur length normal' : null,
    labels: (i % 4 === 3 ? {} : { label: [CLASSES[i % 3]!] }) as Record<string, string[]>,
    user,
  }));

describe.each(backends)('CatalogStore on $engine', ({ engine, open }) => {
  const skip = engine === 'postgres' && pgSkipReason !== null;
  let store: CatalogStore | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  const seeded = async () => {
    store = await open();
    const user = await store.currentUser();
    const datasetId = await store.ensureDataset('phantom');
    await store.defineTask({ datasetId, name: 'label', kind: 'single', classes: CLASSES });
    const added = await store.addImages(fixture(datasetId, user));
    return { store, user, datasetId, ids: added.inserted };
  };
  const page = (s: CatalogStore, q: ImageQueryInput) => s.images(ImageQuery.parse(q));
  const ids = async (s: CatalogStore, q: ImageQueryInput) => (await page(s, q)).items.map((i) => i.id);

  it.skipIf(skip)('imports, skips duplicates, lists datasets and tasks', async () => {
    const { store: s, datasetId, ids: inserted, user } = await seeded();
    expect(inserted).toHaveLength(12);
    const again = await s.addImages(fixture(datasetId, user).slice(0, 3));
    expect(again).toEqual({ inserted: [], duplicates: 3 });
    expect(await s.datasets()).toEqual([
      expect.objectContaining({ id: datasetId, name: 'phantom', images: 12 }),
    ]);
    const [task] = await s.tasks(datasetId);
    expect(task!.classes.map((c) => c.name)).toEqual(CLASSES);
    expect(await s.storedPath(inserted[0]!)).toBe(`00/${hash(1)}.png`);
  });

  it.skipIf(skip)('an import creates the default task "label" and refuses an unknown one', async () => {
    store = await open();
    const user = await store.currentUser();
    const datasetId = await store.ensureDataset('plain');
    const [row] = fixture(datasetId, user);
    await expect(store.addImages([{ ...row!, labels: { organ: ['head'] } }])).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await store.addImages([row!])).inserted).toHaveLength(1);
    expect(await store.tasks(datasetId)).toEqual([
      expect.objectContaining({
        name: 'label',
        kind: 'single',
        classes: [expect.objectContaining({ name: 'head' })],
      }),
    ]);
  });

  it.skipIf(skip)('pages with the same filters and totals', async () => {
    const { store: s, datasetId, ids: all } = await seeded();
    const base = { datasetId, task: 'label' };
    const first = await page(s, { ...base, limit: 5 });
    expect(first.total).toBe(12);
    expect(first.items.map((i) => i.id)).toEqual(all.slice(0, 5));
    expect(first.items[0]).toMatchObject({
      file: 'img-11.png',
      labels: ['head'],
      patient: 'P0',
      flagged: false,
    });
    expect(first.items[0]!.notePreview).toBe('Cephalic presentation, scan 0');
    expect((await page(s, { ...base, offset: 10, limit: 5 })).items.map((i) => i.id)).toEqual(all.slice(10));
    // labels: head = i%3==0 and i%4!=3 -> 0, 6, 9 (3 is unlabeled)
    expect(await ids(s, { ...base, labels: ['head'] })).toEqual([0, 6, 9].map((i) => all[i]));
    expect(await ids(s, { ...base, unlabeled: true })).toEqual([3, 7, 11].map((i) => all[i]));
    expect(await ids(s, { ...base, patient: 'P1' })).toEqual([1, 4, 7, 10].map((i) => all[i]));
    // Note search: every word, as a prefix, any case.
    expect(await ids(s, { ...base, text: 'cephal' })).toEqual([0, 3, 6, 9].map((i) => all[i]));
    expect(await ids(s, { ...base, text: 'FEMUR len' })).toEqual([1, 4, 7, 10].map((i) => all[i]));
    expect(await ids(s, { ...base, text: 'femur cephalic' })).toEqual([]);
    expect(await ids(s, { ...base, metadata: [{ key: 'ga_weeks', min: 20, max: 22 }] })).toEqual(
      [2, 3, 4].map((i) => all[i]),
    );
    expect(await ids(s, { ...base, metadata: [{ key: 'probe', values: ['linear'] }] })).toEqual(
      [2, 6, 10].map((i) => all[i]),
    );
    expect(await ids(s, { ...base, ids: [all[5]!, all[1]!] })).toEqual([all[1], all[5]]);
    expect((await page(s, { ...base, labels: ['femur'], unlabeled: false, limit: 1 })).total).toBe(3);
  });

  it.skipIf(skip)('sorts by column, label and metadata with the same total order', async () => {
    const { store: s, datasetId, ids: all } = await seeded();
    const base = { datasetId, task: 'label', limit: 12 };
    expect(await ids(s, { ...base, sort: { by: 'file', dir: 'asc' } })).toEqual([...all].reverse());
    expect(await ids(s, { ...base, sort: { by: 'width', dir: 'desc' } })).toEqual([...all].reverse());
    // Label: unlabeled first (ascending), then by class order head, abdomen, femur; ties by id.
    const byLabel = [3, 7, 11, 0, 6, 9, 1, 4, 10, 2, 5, 8].map((i) => all[i]);
    expect(await ids(s, { ...base, sort: { by: 'label', dir: 'asc' } })).toEqual(byLabel);
    expect(await ids(s, { ...base, sort: { by: 'label', dir: 'desc' } })).toEqual([...byLabel].reverse());
    // Metadata (category): images with the key by value then id; the others after, by id, both ways.
    expect(await ids(s, { ...base, sort: { by: 'metadata', key: 'probe', dir: 'asc' } })).toEqual(
      [0, 4, 8, 2, 6, 10, 1, 3, 5, 7, 9, 11].map((i) => all[i]),
    );
    expect(await ids(s, { ...base, sort: { by: 'metadata', key: 'probe', dir: 'desc' } })).toEqual(
      [10, 6, 2, 8, 4, 0, 11, 9, 7, 5, 3, 1].map((i) => all[i]),
    );
  });

  it.skipIf(skip)(
    'label writes carry versions: history, detail and a typed CONFLICT when stale',
    async () => {
      const { store: s, ids: all, user } = await seeded();
      const id = all[3]!; // unlabeled
      const first = await s.setLabels({
        imageId: id,
        task: 'label',
        labels: ['femur'],
        user,
        reason: '',
        baseVersion: 0,
      });
      expect(first.batchId).not.toBeNull();
      expect(first.labels).toEqual(['femur']);
      const same = await s.setLabels({ imageId: id, task: 'label', labels: ['femur'], user, reason: '' });
      expect(same.batchId).toBeNull();
      const stale = s.setLabels({
        imageId: id,
        task: 'label',
        labels: ['head'],
        user,
        reason: '',
        baseVersion: 0,
      });
      await expect(stale).rejects.toBeInstanceOf(AppError);
      const error = (await stale.catch((e: AppError) => e)) as AppError;
      expect(error.code).toBe('CONFLICT');
      expect(error.conflicts).toEqual([
        expect.objectContaining({ imageId: id, task: 'label', version: 1, labels: ['femur'], by: user }),
      ]);
      const detail = await s.image(id, 'label');
      expect(detail).toMatchObject({ labels: ['femur'], labelVersion: 1, labelledBy: user });
      expect(detail.history.filter((h) => h.kind === 'label')).toEqual([
        expect.objectContaining({ from: [], to: ['femur'], user, origin: 'edit', task: 'label' }),
      ]);
      await expect(
        s.setLabels({ imageId: id, task: 'label', labels: ['head', 'femur'], user, reason: '' }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(s.image(999_999, 'label')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    },
  );

  it.skipIf(skip)('notes and flags are written with history and found by search', async () => {
    const { store: s, datasetId, ids: all, user } = await seeded();
    const id = all[2]!;
    expect(
      (await s.setNote({ imageId: id, text: 'Transverse abdominal view', user, reason: '' })).batchId,
    ).not.toBeNull();
    expect(
      (await s.setNote({ imageId: id, text: 'Transverse abdominal view', user, reason: '' })).batchId,
    ).toBeNull();
    expect(await ids(s, { datasetId, task: 'label', text: 'transv abdom' })).toEqual([id]);
    const flagged = await s.setFlag({ imageId: id, flagged: true, user, reason: 'check plane' });
    expect(flagged.flag).toMatchObject({ reason: 'check plane', user });
    expect(await ids(s, { datasetId, task: 'label', flagged: true })).toEqual([id]);
    const history = await s.history(id);
    expect(history.map((h) => [h.kind, h.from, h.to])).toEqual([
      ['flag', null, 'check plane'],
      ['note', null, 'Transverse abdominal view'],
      ['label', [], ['femur']],
    ]);
    expect(history.map((h) => h.origin)).toEqual(['edit', 'edit', 'import']);
    expect(new Set(history.map((h) => h.batchId)).size).toBe(3);
  });

  it.skipIf(skip)('stats and the rows a run snapshot needs', async () => {
    const { store: s, datasetId, ids: all } = await seeded();
    const [stats] = await s.stats(datasetId, 'label');
    expect(stats).toMatchObject({
      images: 12,
      unlabeled: 3,
      labels: [
        { label: 'head', count: 3 },
        { label: 'abdomen', count: 3 },
        { label: 'femur', count: 3 },
      ],
      splits: [],
    });
    const rows = await s.snapshotRows({ datasetId, task: 'label', splitId: null });
    expect(rows.map((r) => r.id)).toEqual(all);
    expect(rows[1]).toMatchObject({
      label: 'abdomen',
      part: null,
      note: 'Breech; femur length normal',
      patient: 'P1',
      exam: null,
      file: 'img-10.png',
      width: 101,
      bytes: 1001,
    });
    expect(rows[1]!.storedPath).toBe(`00/${hash(2)}.png`);
    expect(rows[2]!.metadata.probe).toEqual({ type: 'category', num: null, text: 'linear' });
    expect(rows[2]!.metadata.ga_weeks).toEqual({ type: 'number', num: 20, text: '20' });
  });

  it.skipIf(skip)('creates a group-aware split once and reuses it by name', async () => {
    const { store, datasetId } = await seeded();
    const split = await store.createSplit({
      datasetId,
      seed: 42,
      ratios: { train: 0.4, validation: 0.3, test: 0.3 },
      task: 'label',
    });
    expect(split).toMatchObject({ name: 'seed42-40-30-30', seed: 42, reused: false });
    // 12 images of 3 patients (4 each): every patient lands whole in one part.
    expect(split.parts.map((p) => [p.part, p.images, p.groups])).toEqual(PART_COUNTS);
    const parts = await store.splitAssignments(split.id);
    const page = await store.images(ImageQuery.parse({ datasetId, task: 'label', limit: 20 }));
    const partsOfPatient = new Map<string, Set<string>>();
    for (const r of page.items)
      partsOfPatient.set(r.patient!, (partsOfPatient.get(r.patient!) ?? new Set()).add(parts.get(r.id)!));
    expect([...partsOfPatient.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    // The same seed gives the same assignment on both engines (read off the SQLite run).
    expect(Object.fromEntries([...partsOfPatient].map(([p, s]) => [p, [...s][0]]))).toEqual({
      P0: 'validation',
      P1: 'train',
      P2: 'test',
    });
    const again = await store.createSplit({
      datasetId,
      seed: 7,
      name: 'seed42-40-30-30',
      ratios: { train: 0.5, validation: 0.25, test: 0.25 },
      task: 'label',
    });
    expect(again).toMatchObject({ id: split.id, reused: true, seed: 42 });
    expect((await store.splits(datasetId)).map((s) => s.id)).toEqual([split.id]);
    await expect(
      store.createSplit({
        datasetId: 999,
        seed: 1,
        ratios: { train: 1, validation: 0, test: 0 },
        task: 'label',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it.skipIf(skip)('exports CSV and JSON with the same columns and label sources', async () => {
    const { store, user, datasetId, ids } = await seeded();
    await store.setLabels({
      imageId: ids[1]!,
      task: 'label',
      labels: ['femur'],
      user,
      reason: '',
      suggestion: { modelId: 'm1', p: 0.75 },
    });
    await store.setLabels({ imageId: ids[2]!, task: 'label', labels: ['head'], user, reason: '' });
    const dir = tempDir();
    const csv = await store.exportDataset({
      datasetId,
      path: join(dir, 'x.csv'),
      format: 'csv',
      task: 'label',
    });
    expect(csv.rows).toBe(12);
    const lines = readFileSync(join(dir, 'x.csv'), 'utf8').trim().split(/\r?\n/);
    const h = (i: number) => hash(i);
    expect(lines.slice(0, 4)).toEqual([
      'file,frame,label,patient_id,exam_id,source_id,split,note,sha256,label_source,suggestion_model,suggestion_p,ga_weeks,probe',
      `img-11.png,0,head,P0,,,,"Cephalic presentation, scan 0",${h(1)},import,,,18,convex`,
      `img-10.png,0,femur,P1,,,,Breech; femur length normal,${h(2)},suggestion,m1,0.75,19,`,
      `img-09.png,0,head,P2,,,,,${h(3)},typed,,,20,linear`,
    ]);
    await store.exportDataset({ datasetId, path: join(dir, 'x.json'), format: 'json', task: 'label' });
    const json = JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')) as Array<Record<string, unknown>>;
    expect(json[1]).toEqual({
      file: 'img-10.png',
      frame: 0,
      label: 'femur',
      patient_id: 'P1',
      exam_id: '',
      source_id: '',
      split: '',
      note: 'Breech; femur length normal',
      sha256: hash(2),
      label_source: 'suggestion',
      suggestion_model: 'm1',
      suggestion_p: 0.75,
      ga_weeks: 19,
    });
    await expect(
      store.exportDataset({ datasetId: 999, path: join(dir, 'y.csv'), format: 'csv', task: 'label' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it.skipIf(skip)('defines a task with class parents and colours', async () => {
    const { store, datasetId } = await seeded();
    await store.defineTask({
      datasetId,
      name: 'plane',
      kind: 'multi',
      classes: [{ name: 'spine', parent: 'trunk', colour: '#aabbcc' }, 'head'],
    });
    const plane = (await store.tasks(datasetId)).find((t) => t.name === 'plane')!;
    expect(plane.kind).toBe('multi');
    expect(plane.classes).toEqual([
      { name: 'trunk', parent: null, colour: null },
      { name: 'spine', parent: 'trunk', colour: '#aabbcc' },
      { name: 'head', parent: null, colour: null },
    ]);
  });

  it.skipIf(skip)(
    'edits a task: rename, reorder, recolour, add, and remove with reassigned labels',
    async () => {
      const { store, user, datasetId, ids } = await seeded();
      const edit = (reassign: Record<string, string | null> = {}) =>
        store.editTask({
          datasetId,
          task: 'label',
          classes: [
            { name: 'abdomen', parent: null, colour: '#112233' },
            { name: 'cranium', was: 'head', parent: null, colour: null },
            { name: 'spine', parent: 'abdomen', colour: null },
          ],
          reassign,
          reason: 'tidy',
        });
      // femur still labels images 2, 5 and 8 (the fixture cycles head/abdomen/femur, every 4th unlabeled).
      await expect(edit()).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('"femur" (labels 3 images)'),
      });
      const task = await edit({ femur: 'abdomen' });
      expect(task.classes).toEqual([
        { name: 'abdomen', parent: null, colour: '#112233' },
        { name: 'cranium', parent: null, colour: null },
        { name: 'spine', parent: 'abdomen', colour: null },
      ]);
      const labels = (
        await store.images(ImageQuery.parse({ datasetId, task: 'label', limit: 12 }))
      ).items.map((r) => r.labels.join(';') || '-');
      expect(labels).toEqual([
        'cranium',
        'abdomen',
        'abdomen',
        '-',
        'abdomen',
        'abdomen',
        'cranium',
        '-',
        'abdomen',
        'cranium',
        'abdomen',
        '-',
      ]);
      const moved = (await store.history(ids[2], 1))[0]!;
      expect(moved).toMatchObject({ kind: 'label', from: ['femur'], to: ['abdomen'], user, reason: 'tidy' });
      const log = await store.taskHistory(datasetId, 'label', 10);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ task: 'label', user, reason: 'tidy' });
      expect(log[0]!.from.map((c) => c.name)).toEqual(CLASSES);
      expect(log[0]!.to.map((c) => c.name)).toEqual(['abdomen', 'cranium', 'spine']);
      await expect(store.taskHistory(datasetId, 'nope', 10)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    },
  );
});

describe.skipIf(pgSkipReason !== null)('PostgreSQL store only', () => {
  it('attributes every write to the signed-in role and keeps absolute paths out', async () => {
    const s = await openPgCatalogStore({ url: await cluster!.createDatabase() });
    try {
      const datasetId = await s.ensureDataset('d');
      await s.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['a'] });
      const [row] = fixture(datasetId, 'x');
      await expect(s.addImages([{ ...row!, storedPath: '/mnt/store/ab/cd.png' }])).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      const { inserted } = await s.addImages([row!]);
      await s.setNote({ imageId: inserted[0]!, text: 'n', user: 'mallory', reason: '' });
      const [entry] = await s.history(inserted[0]);
      expect(entry!.user).toBe(cluster!.superuser);
      expect(await s.currentUser()).toBe(cluster!.superuser);
    } finally {
      await s.close();
    }
  });

  it('tells another workstation about a change (LISTEN/NOTIFY)', async () => {
    const url = await cluster!.createDatabase();
    const [a, b] = [await openPgCatalogStore({ url }), await openPgCatalogStore({ url })];
    try {
      const datasetId = await a.ensureDataset('d');
      await a.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['a'] });
      const { inserted } = await a.addImages(fixture(datasetId, 'x').slice(0, 1));
      const seen = new Promise<unknown>((resolve) => b.onChanged(resolve));
      // Let b's LISTEN land before the write.
      await new Promise((r) => setTimeout(r, 200));
      await a.setLabels({ imageId: inserted[0]!, task: 'label', labels: ['a'], user: 'x', reason: '' });
      expect(await seen).toEqual({ datasetId, kind: 'labels', imageIds: inserted });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
