import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { captureIo } from '../../../support/capture-io';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';
import { tempDir } from '../catalog/support/catalog-fixtures';

describe.skipIf(pgSkipReason !== null)(
  `sonofuse catalog split / export / rename-dataset / delete-dataset on postgres:// ${pgSkipReason ?? ''}`,
  () => {
    let cluster: PgCluster;
    beforeAll(async () => {
      cluster = await startPgCluster();
    }, 60_000);
    afterAll(() => cluster?.stop());

    it('serves the maintenance actions on a shared catalog, attributed to the signed-in role', async () => {
      const url = await cluster.createDatabase();
      const store = await openPgCatalogStore({ url });
      try {
        const datasetId = await store.ensureDataset('scans');
        await store.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['head', 'femur'] });
        await store.addImages(
          [0, 1, 2, 3].map((i) => ({
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
            patient: `P${i}`,
            labels: { label: [i % 2 === 0 ? 'head' : 'femur'] },
            user: 'import',
          })),
        );
      } finally {
        await store.close();
      }
      const cli = async (...args: string[]) => {
        const io = captureIo();
        const code = await runCli(['catalog', ...args, '--db', url], io);
        return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
      };
      const split = await cli('split', '--dataset', 'scans', '--ratios', '50,25,25', '--name', 'fixed');
      expect(split).toMatchObject({ code: 0 });
      expect(split.out).toMatch(/^Created split fixed \(id \d+\): train \d+, validation \d+, test \d+$/);
      expect((await cli('split', '--dataset', 'scans', '--name', 'fixed')).out).toMatch(
        /^Reused split fixed/,
      );
      const out = join(tempDir(), 'scans.csv');
      expect(await cli('export', '--dataset', 'scans', '--out', out)).toMatchObject({
        code: 0,
        out: `Exported 4 rows to ${out}`,
      });
      expect(readFileSync(out, 'utf8').split(/\r?\n/)[1]).toMatch(/^0\.png,0,head,P0,/);
      expect(await cli('rename-dataset', '--dataset', 'scans', '--name', 'Anomaly scan')).toMatchObject({
        code: 0,
        out: 'Renamed dataset "scans" to "Anomaly scan".',
      });
      // Deleting needs --yes and the reviewer role (the superuser is a member once the role exists).
      const unconfirmed = await cli('delete-dataset', '--dataset', 'Anomaly scan');
      expect(unconfirmed.code).not.toBe(0);
      expect(unconfirmed.err).toContain('delete-dataset needs --yes');
      await cluster.sql(
        `DO $$ BEGIN CREATE ROLE sonofuse_reviewer; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
      );
      const deleted = await cli('delete-dataset', '--dataset', 'Anomaly scan', '--yes', '--json');
      expect(deleted.code).toBe(0);
      expect(JSON.parse(deleted.out)).toMatchObject({ name: 'Anomaly scan', user: cluster.superuser });
      expect((await cli('stats', '--json')).out).toBe('[]');
    }, 60_000);
  },
);
