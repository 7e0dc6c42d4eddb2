import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { captureIo } from '../../../support/capture-io';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';
import { makeImage, tempDir, writeFile } from '../catalog/support/catalog-fixtures';

describe.skipIf(pgSkipReason !== null)(
  `sonofuse import / catalog stats --db postgres:// ${pgSkipReason ?? ''}`,
  () => {
    let cluster: PgCluster;
    beforeAll(async () => {
      cluster = await startPgCluster();
    }, 60_000);
    afterAll(() => cluster?.stop());

    it('imports a folder into PostgreSQL with images in the shared store (relative paths only), then reports stats', async () => {
      const root = tempDir('sonofuse-cli-');
      for (let i = 0; i < 3; i++) writeFile(root, `head/${i}.png`, await makeImage(6, 5, i + 1));
      for (let i = 0; i < 2; i++) writeFile(root, `femur/${i}.png`, await makeImage(6, 5, i + 10));
      const store = tempDir('sonofuse-shared-store-');
      const url = await cluster.createDatabase();
      const io = captureIo();
      const args = ['import', root, '--db', url, '--store', store, '--dataset', 'dept', '--no-thumbnails'];
      expect(await runCli([...args, '--json'], io)).toBe(0);
      expect(JSON.parse(io.stdout[0]!)).toMatchObject({
        imported: 5,
        dataset: 'dept',
        labels: { head: 3, femur: 2 },
      });
      // Every path in the catalog is relative; every stored file is in the shared store.
      const rows = await cluster.sql<{ original_path: string; stored_path: string }>(
        'SELECT original_path, stored_path FROM images ORDER BY id',
        [],
        url.split('/').pop()!.split('?')[0],
      );
      expect(rows).toHaveLength(5);
      for (const r of rows) {
        expect(r.original_path).toMatch(/^(head|femur)\/\d\.png$/);
        expect(r.stored_path.startsWith('/')).toBe(false);
        expect(existsSync(join(store, r.stored_path))).toBe(true);
      }
      // Again: nothing new, all five counted as already there.
      const again = captureIo();
      expect(await runCli([...args, '--json'], again)).toBe(0);
      expect(JSON.parse(again.stdout[0]!)).toMatchObject({ imported: 0 });
      const stats = captureIo();
      expect(await runCli(['catalog', 'stats', '--db', url], stats)).toBe(0);
      expect(stats.stdout[0]).toBe('dept (dataset 1): 5 images, 0 unlabeled');
      expect(stats.stdout.slice(1).map((l) => l.replace(/\s+/g, ' ').trim())).toEqual(
        expect.arrayContaining(['head 3', 'femur 2']),
      );
    }, 120_000);

    it('asks for the shared store and refuses what a shared catalog cannot do', async () => {
      const url = await cluster.createDatabase();
      const io = captureIo();
      expect(await runCli(['import', tempDir(), '--db', url, '--dataset', 'x'], io)).toBe(2);
      expect(io.stderr.join('\n')).toContain('--store DIR');
      const backup = captureIo();
      expect(await runCli(['catalog', 'backup', '--db', url, '--out', 'x.db'], backup)).toBe(2);
      expect(backup.stderr.join('\n')).toContain('pg_dump');
    }, 60_000);
  },
);
