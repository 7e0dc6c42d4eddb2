import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../../../main/contract-server/create-app-core';
import { storeMediaSource } from '../../../../main/contract-server/store-catalog-handlers';
import { createLogger } from '../../../../main/core/logger';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { fakeProbe } from '../../../support/test-core';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';

const ctx = { transport: 'test' as const, peer: 't' };

describe.skipIf(pgSkipReason !== null)(`the app on a shared catalog ${pgSkipReason ?? ''}`, () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it("serves the catalog calls from PostgreSQL, emits other workstations' changes, refuses the rest", async () => {
    const url = await cluster.createDatabase();
    const storeDir = mkdtempSync(join(tmpdir(), 'sonofuse-shared-'));
    // Another workstation imported one image.
    const other = await openPgCatalogStore({ url });
    const datasetId = await other.ensureDataset('dept');
    await other.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['head', 'femur'] });
    const user = await other.currentUser();
    const { inserted } = await other.addImages([
      {
        datasetId,
        sha256: 'ab'.repeat(32),
        frame: 0,
        file: 'a.png',
        originalPath: 'a.png',
        storedPath: 'ab/a.png',
        format: 'png',
        sourceFormat: 'png',
        width: 4,
        height: 4,
        bytes: 10,
        user,
      },
    ]);
    mkdirSync(join(storeDir, 'ab'));
    writeFileSync(join(storeDir, 'ab', 'a.png'), 'x');
    const core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '9.9.9',
      logger: createLogger({ minLevel: 'debug' }),
      catalogDbPath: join(mkdtempSync(join(tmpdir(), 'sonofuse-core-')), 'catalog.db'),
      department: { url, storeDir },
    });
    const call = (channel: string, input: unknown) => core.dispatcher.dispatch(channel, input, ctx);
    const changes: unknown[] = [];
    core.events.attach((channel, payload) => {
      if (channel === 'catalog:onChanged') changes.push(payload);
    });
    try {
      expect(await call('catalog:datasets', {})).toMatchObject({
        ok: true,
        value: [{ id: datasetId, name: 'dept', images: 1 }],
      });
      expect(await call('catalog:images', { datasetId })).toMatchObject({
        ok: true,
        value: { total: 1, items: [{ id: inserted[0], file: 'a.png', labels: [] }] },
      });
      // No sonofuse_reviewer role yet: a labeler. The superuser is a member of every role once it exists.
      expect(await call('catalog:whoAmI', {})).toEqual({
        ok: true,
        value: { user: cluster.superuser, role: 'labeler', roleSource: 'database' },
      });
      await cluster.sql('CREATE ROLE sonofuse_reviewer');
      expect(await call('catalog:whoAmI', {})).toMatchObject({ ok: true, value: { role: 'reviewer' } });
      const write = await call('catalog:setLabels', {
        imageId: inserted[0],
        task: 'label',
        labels: ['femur'],
        user: 'spoofed',
        reason: '',
        baseVersion: 0,
      });
      expect(write).toMatchObject({ ok: true, value: { labels: ['femur'], version: 1 } });
      const stale = await call('catalog:setLabels', {
        imageId: inserted[0],
        task: 'label',
        labels: ['head'],
        user: 'x',
        reason: '',
        baseVersion: 0,
      });
      expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      // Another workstation's write reaches this app as catalog:onChanged.
      await other.setNote({ imageId: inserted[0]!, text: 'from B', user, reason: '' });
      for (let i = 0; i < 50 && !changes.some((c) => (c as { kind: string }).kind === 'notes'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(changes).toEqual(
        expect.arrayContaining([
          { datasetId, kind: 'labels', imageIds: inserted },
          { datasetId, kind: 'notes', imageIds: inserted },
        ]),
      );
      expect(await call('catalog:backup', { path: join(storeDir, 'x.db') })).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE' },
      });
      // The work split from the app: a batch of the one image, created by the signed-in role.
      await call('catalog:setLabels', {
        imageId: inserted[0],
        task: 'label',
        labels: [],
        user: 'x',
        reason: '',
      });
      const job = await call('catalog:createLabelJob', {
        datasetId,
        task: 'label',
        assignee: 'arossi',
        size: 5,
        user: 'spoofed',
      });
      expect(job).toMatchObject({
        ok: true,
        value: { assignee: 'arossi', images: 1, createdBy: cluster.superuser },
      });
      const jobId = (job as { value: { id: number } }).value.id;
      expect(await call('catalog:labelJobs', { datasetId })).toMatchObject({
        ok: true,
        value: [{ id: jobId }],
      });
      expect(await call('catalog:labelJobQueue', { jobId })).toEqual({ ok: true, value: inserted });
      const media = storeMediaSource(core.store!, storeDir);
      expect(await media.viewPath(inserted[0]!)).toBe(join(storeDir, 'ab', 'a.png'));
    } finally {
      await core.dispose();
      await other.close();
    }
  }, 60_000);

  it("serves bulk relabel with the grid rows' label versions, undo, splits, export, task edits, dataset rename/delete from PostgreSQL (CONFLICT typed over the wire)", async () => {
    const url = await cluster.createDatabase();
    const other = await openPgCatalogStore({ url });
    const datasetId = await other.ensureDataset('bulk');
    await other.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['head', 'femur'] });
    const user = await other.currentUser();
    const { inserted } = await other.addImages(
      [1, 2].map((i) => ({
        datasetId,
        sha256: String(i).repeat(64),
        frame: 0,
        file: `${i}.png`,
        originalPath: `${i}.png`,
        storedPath: `${i}${i}/${i}.png`,
        format: 'png',
        sourceFormat: 'png',
        width: 4,
        height: 4,
        bytes: 10,
        user,
      })),
    );
    const core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '9.9.9',
      logger: createLogger({ minLevel: 'debug' }),
      catalogDbPath: join(mkdtempSync(join(tmpdir(), 'sonofuse-core-')), 'catalog.db'),
      department: { url, storeDir: mkdtempSync(join(tmpdir(), 'sonofuse-shared-')) },
    });
    const call = (channel: string, input: unknown) => core.dispatcher.dispatch(channel, input, ctx);
    const rows = async () =>
      (
        (await call('catalog:images', { datasetId, task: 'label' })) as {
          value: { items: Array<{ id: number; labels: string[]; labelVersion: number }> };
        }
      ).value.items;
    try {
      const seen = await rows();
      expect(seen.map((r) => r.labelVersion)).toEqual([0, 0]);
      // Another workstation labels image 1 after this grid showed it.
      await other.setLabels({ imageId: inserted[0]!, task: 'label', labels: ['head'], user, reason: '' });
      const bulk = (baseVersions: Array<{ imageId: number; version: number }>) =>
        call('catalog:bulkRelabel', {
          datasetId,
          task: 'label',
          imageIds: inserted,
          to: ['femur'],
          user: 'spoofed',
          baseVersions,
        });
      expect(await bulk(seen.map((r) => ({ imageId: r.id, version: r.labelVersion })))).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', conflicts: [{ imageId: inserted[0], version: 1, labels: ['head'] }] },
      });
      expect((await rows()).map((r) => r.labels)).toEqual([['head'], []]);
      const done = await bulk((await rows()).map((r) => ({ imageId: r.id, version: r.labelVersion })));
      expect(done).toMatchObject({ ok: true, value: { changed: 2 } });
      expect((await rows()).map((r) => [r.labels, r.labelVersion])).toEqual([
        [['femur'], 2],
        [['femur'], 1],
      ]);
      const batchId = (done as { value: { batchId: number } }).value.batchId;
      expect(await call('catalog:undo', { batchId })).toMatchObject({ ok: true, value: { undone: 2 } });
      expect((await rows()).map((r) => r.labels)).toEqual([['head'], []]);
      // Splits are created on the shared catalog too (and reused by name).
      const split = await call('catalog:createSplit', { datasetId, task: 'label', name: 'fixed' });
      expect(split).toMatchObject({ ok: true, value: { name: 'fixed', reused: false } });
      expect(await call('catalog:splits', { datasetId })).toMatchObject({
        ok: true,
        value: [{ name: 'fixed', parts: [{ part: 'train' }, { part: 'validation' }, { part: 'test' }] }],
      });
      const parts = (split as { value: { parts: Array<{ images: number }> } }).value.parts;
      expect(parts.reduce((n, p) => n + p.images, 0)).toBe(2);
      // Export from the shared catalog, behind the same output-path check as the local one.
      const out = join(mkdtempSync(join(tmpdir(), 'sonofuse-export-')), 'labels.csv');
      expect(await call('catalog:export', { datasetId, task: 'label', path: out })).toEqual({
        ok: true,
        value: { path: out, rows: 2 },
      });
      expect(readFileSync(out, 'utf8').split(/\r?\n/)[1]).toMatch(/^1\.png,0,head,/);
      expect(
        await call('catalog:export', { datasetId, task: 'label', path: out.replace('.csv', '.txt') }),
      ).toMatchObject({ ok: false });
      // A task defined from the app keeps its classes' colours and parents on the shared catalog.
      expect(
        await call('catalog:defineTask', {
          datasetId,
          name: 'plane',
          classes: [{ name: 'spine', parent: 'trunk', colour: '#010203' }],
        }),
      ).toMatchObject({
        ok: true,
        value: {
          classes: [
            { name: 'trunk', parent: null, colour: null },
            { name: 'spine', parent: 'trunk', colour: '#010203' },
          ],
        },
      });
      // Task edits: rename a class; removing one that labels an image needs a reassignment.
      const edit = (reassign: Record<string, string | null>) =>
        call('catalog:editTask', {
          datasetId,
          task: 'label',
          classes: [{ name: 'cranium', was: 'head' }],
          reassign,
          user: 'spoofed',
          reason: 'r',
        });
      await other.setLabels({ imageId: inserted[1]!, task: 'label', labels: ['femur'], user, reason: '' });
      expect(await edit({})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(await edit({ femur: 'cranium' })).toMatchObject({
        ok: true,
        value: { classes: [{ name: 'cranium', parent: null, colour: null }] },
      });
      expect((await rows()).map((r) => r.labels)).toEqual([['cranium'], ['cranium']]);
      expect(await call('catalog:taskHistory', { datasetId, task: 'label' })).toMatchObject({
        ok: true,
        value: [{ user: cluster.superuser, reason: 'r' }],
      });
      // Rename, then delete (the superuser is a member of sonofuse_reviewer once the role exists).
      await cluster.sql(
        `DO $$ BEGIN CREATE ROLE sonofuse_reviewer; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
      );
      expect(
        await call('catalog:renameDataset', { datasetId, name: 'renamed', user: 'spoofed' }),
      ).toMatchObject({
        ok: true,
        value: { id: datasetId, name: 'renamed', images: 2 },
      });
      expect(
        await call('catalog:deleteDataset', { datasetId, confirmName: 'bulk', user: 'x' }),
      ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(
        await call('catalog:deleteDataset', { datasetId, confirmName: 'renamed', user: 'spoofed' }),
      ).toMatchObject({ ok: true, value: { id: datasetId, name: 'renamed', user: cluster.superuser } });
      expect(await call('catalog:datasets', {})).toEqual({ ok: true, value: [] });
    } finally {
      await core.dispose();
      await other.close();
    }
  }, 60_000);
});
