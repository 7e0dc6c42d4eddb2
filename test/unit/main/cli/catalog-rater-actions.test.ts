import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { captureIo } from '../../../support/capture-io';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';
import { makeImage, tempDir, writeFile } from '../catalog/support/catalog-fixtures';

describe('sonofuse catalog agreement / set-raters / adjudication-queue', () => {
  it("prints Cohen's kappa of two raters, per class, and refuses the queue to a labeler", async () => {
    const root = tempDir('sonofuse-cli-raters-');
    for (let i = 0; i < 4; i++) writeFile(root, `all/${i}.png`, await makeImage(5, 5, 40 + i));
    const db = join(tempDir(), 'cli.db');
    expect(await runCli(['import', root, '--db', db, '--dataset', 'd', '--no-thumbnails'], captureIo())).toBe(
      0,
    );
    const catalog = createCatalogService({ dbPath: db });
    const ids = catalog
      .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
      .items.map((i) => i.id);
    catalog.defineTask({
      datasetId: catalog.datasets()[0]!.id,
      name: 'plane',
      kind: 'single',
      classes: [
        { name: 'x', parent: null },
        { name: 'y', parent: null },
      ],
    });
    const setRaters = [
      'catalog',
      'set-raters',
      '--db',
      db,
      '--dataset',
      'd',
      '--task',
      'plane',
      '--raters',
      '2',
    ];
    // A labeler (this workstation's default role) may not change it.
    const labeler = captureIo();
    expect(await runCli(setRaters, labeler)).not.toBe(0);
    expect(labeler.stderr.join('\n')).toMatch(/only a reviewer sets/);
    catalog.setRole('reviewer');
    const set = captureIo();
    expect(await runCli(setRaters, set)).toBe(0);
    expect(set.stdout).toEqual(['Task "plane" asks for 2 label(s) per image.']);
    catalog.setRole('labeler');
    // ann: x x y y ; bo: x y y y -> kappa 0.5 (p_o 0.75, p_e 0.5), as in catalog-raters.test.ts.
    const rate = (user: string, labels: string[]) =>
      labels.forEach((l, i) =>
        catalog.setLabels({ imageId: ids[i]!, task: 'plane', labels: [l], user, reason: '' }),
      );
    rate('ann', ['x', 'x', 'y', 'y']);
    rate('bo', ['x', 'y', 'y', 'y']);
    catalog.close();

    const text = captureIo();
    expect(
      await runCli(['catalog', 'agreement', '--db', db, '--dataset', 'd', '--task', 'plane'], text),
    ).toBe(0);
    expect(text.stdout[0]).toBe(
      "Cohen's kappa 0.500 over 4 image(s) rated at least twice (2 raters asked; 2 people; observed 0.750, chance 0.500)",
    );
    // One vs rest with two classes: each class's kappa is the overall one.
    expect(text.stdout.slice(2).map((l) => l.trim().split(/\s+/))).toEqual([
      ['x', '0.500'],
      ['y', '0.500'],
    ]);
    const json = captureIo();
    expect(
      await runCli(['catalog', 'agreement', '--db', db, '--dataset', 'd', '--task', 'plane', '--json'], json),
    ).toBe(0);
    expect(JSON.parse(json.stdout[0]!)).toMatchObject({
      method: 'cohen',
      kappa: 0.5,
      items: 4,
      people: ['ann', 'bo'],
    });

    const refused = captureIo();
    expect(
      await runCli(
        ['catalog', 'adjudication-queue', '--db', db, '--dataset', 'd', '--task', 'plane'],
        refused,
      ),
    ).not.toBe(0);
    expect(refused.stderr.join('\n')).toMatch(/only a reviewer/);
  });
});

describe('sonofuse catalog rater actions on a postgres:// catalog', () => {
  let cluster: PgCluster | null = null;
  beforeAll(async () => {
    if (pgSkipReason === null) cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it.skipIf(pgSkipReason !== null)(
    'sets raters and reports agreement through the store; both need the sonofuse_reviewer role',
    async () => {
      const url = await cluster!.createDatabase();
      const store = await openPgCatalogStore({ url });
      const datasetId = await store.ensureDataset('d');
      await store.defineTask({ datasetId, name: 'plane', kind: 'single', classes: ['x', 'y'] });
      await store.close();
      const setRaters = [
        'catalog',
        'set-raters',
        '--db',
        url,
        '--dataset',
        'd',
        '--task',
        'plane',
        '--raters',
        '3',
      ];
      // The superuser of the test cluster is no member of sonofuse_reviewer while that role does not exist.
      const refused = captureIo();
      expect(await runCli(setRaters, refused)).not.toBe(0);
      expect(refused.stderr.join('\n')).toMatch(/only a reviewer sets/);
      const queueRefused = captureIo();
      expect(
        await runCli(
          ['catalog', 'adjudication-queue', '--db', url, '--dataset', 'd', '--task', 'plane'],
          queueRefused,
        ),
      ).not.toBe(0);
      expect(queueRefused.stderr.join('\n')).toMatch(/only a reviewer/);
      await cluster!.sql(
        `CREATE ROLE sonofuse_reviewer NOLOGIN; GRANT sonofuse_reviewer TO ${cluster!.superuser}`,
      );
      const set = captureIo();
      expect(await runCli(setRaters, set)).toBe(0);
      expect(set.stdout).toEqual(['Task "plane" asks for 3 label(s) per image.']);
      const json = captureIo();
      expect(
        await runCli(
          ['catalog', 'agreement', '--db', url, '--dataset', 'd', '--task', 'plane', '--json'],
          json,
        ),
      ).toBe(0);
      expect(JSON.parse(json.stdout[0]!)).toMatchObject({
        raters: 3,
        method: 'fleiss',
        kappa: null,
        items: 0,
      });
      const queue = captureIo();
      expect(
        await runCli(
          ['catalog', 'adjudication-queue', '--db', url, '--dataset', 'd', '--task', 'plane'],
          queue,
        ),
      ).toBe(0);
      expect(queue.stdout[0]).toBe('0 disagreement(s), 0 with fewer than 3 label(s), 0 unrated, 0 decided');
    },
    60_000,
  );
});
