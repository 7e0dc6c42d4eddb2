import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../../../main/contract-server/create-app-core';
import { createLogger } from '../../../../main/core/logger';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { fakeProbe } from '../../../support/test-core';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';

const ctx = { transport: 'test' as const, peer: 't' };

/** The rater calls of a department workspace (store-catalog-handlers.ts) through the dispatcher. */
describe.skipIf(pgSkipReason !== null)(`rater calls on a shared catalog ${pgSkipReason ?? ''}`, () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('sets raters, keeps the rater label apart, and adjudicates as the database role (reviewers only)', async () => {
    const url = await cluster.createDatabase();
    const other = await openPgCatalogStore({ url });
    const datasetId = await other.ensureDataset('dept');
    await other.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['head', 'femur'] });
    const { inserted } = await other.addImages([
      {
        datasetId,
        sha256: 'cd'.repeat(32),
        frame: 0,
        file: 'a.png',
        originalPath: 'a.png',
        storedPath: 'cd/a.png',
        format: 'png',
        sourceFormat: 'png',
        width: 4,
        height: 4,
        bytes: 10,
        user: await other.currentUser(),
      },
    ]);
    await other.close();
    const core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '9.9.9',
      logger: createLogger({ minLevel: 'debug' }),
      catalogDbPath: join(mkdtempSync(join(tmpdir(), 'sonofuse-core-')), 'catalog.db'),
      department: { url, storeDir: mkdtempSync(join(tmpdir(), 'sonofuse-shared-')) },
    });
    const call = (channel: string, input: unknown) => core.dispatcher.dispatch(channel, input, ctx);
    const image = inserted[0]!;
    try {
      // Not a reviewer (no sonofuse_reviewer role yet): the setting is refused; an admin sets it.
      expect(await call('catalog:setRaters', { datasetId, task: 'label', raters: 2 })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      await cluster.sql(
        'UPDATE label_tasks SET raters = 2',
        [],
        decodeURIComponent(url.split('@/')[1]!.split('?')[0]!),
      );
      expect(await call('catalog:tasks', { datasetId })).toMatchObject({
        ok: true,
        value: [{ name: 'label', raters: 2 }],
      });
      const own = await call('catalog:setLabels', {
        imageId: image,
        task: 'label',
        labels: ['femur'],
        user: 'spoofed',
        reason: '',
      });
      expect(own).toMatchObject({ ok: true, value: { labels: ['femur'], batchId: null } });
      // The rater label is the signed-in role's own; the image is not decided.
      expect(await call('catalog:image', { id: image, task: 'label' })).toMatchObject({
        ok: true,
        value: { labels: ['femur'], decided: false, ratings: [{ rater: cluster.superuser, label: 'femur' }] },
      });
      expect(await call('catalog:agreement', { datasetId, task: 'label' })).toMatchObject({
        ok: true,
        value: { items: 0, incomplete: 1, kappa: null },
      });
      // No sonofuse_reviewer role: a labeler.
      expect(await call('catalog:adjudicationQueue', { datasetId, task: 'label' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      const decide = { imageId: image, task: 'label', label: 'head', user: 'spoofed', reason: '' };
      expect(await call('catalog:adjudicate', decide)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await call('catalog:setRole', { role: 'reviewer' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_SUPPORTED' },
      });
      await cluster.sql('CREATE ROLE sonofuse_reviewer');
      expect(await call('catalog:adjudicationQueue', { datasetId, task: 'label' })).toMatchObject({
        ok: true,
        value: { incompleteTotal: 1, disagreementTotal: 0 },
      });
      expect(await call('catalog:adjudicate', decide)).toMatchObject({
        ok: true,
        value: { labels: ['head'] },
      });
      expect(await call('catalog:setRaters', { datasetId, task: 'label', raters: 3 })).toEqual({
        ok: true,
        value: { task: 'label', raters: 3 },
      });
      const history = await call('catalog:history', { imageId: image, limit: 10 });
      expect(history).toMatchObject({
        ok: true,
        value: [{ to: ['head'], user: cluster.superuser, adjudication: true }],
      });
    } finally {
      await core.dispose();
    }
  }, 60_000);
});
