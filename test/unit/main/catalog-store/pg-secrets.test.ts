import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../main/core/logger';
import { openCatalogStore } from '../../../../main/catalog-store/open-catalog-store';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';

const PASSWORD = 'Hüg3-s3cret/p@ss:word';

describe.skipIf(pgSkipReason !== null)(
  `a password in the URL never reaches a log or an error ${pgSkipReason ?? ''}`,
  () => {
    let cluster: PgCluster;
    beforeAll(async () => {
      cluster = await startPgCluster();
      await cluster.sql(`CREATE ROLE labeler1 LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
      await cluster.sql('CREATE DATABASE dept OWNER labeler1');
    }, 60_000);
    afterAll(() => cluster?.stop());

    it('opens with the password, works, fails, and prints no secret anywhere', async () => {
      const logger = createLogger({ minLevel: 'debug', capacity: 5000 });
      const lines: string[] = [];
      logger.subscribe((e) => lines.push(`${e.source} ${e.message}`));
      const url = cluster.url('dept', 'labeler1', PASSWORD);
      expect(url).toContain(encodeURIComponent(PASSWORD));
      const store = await openCatalogStore({ workspace: url, logger });
      const messages: string[] = [store.location];
      try {
        expect(await store.currentUser()).toBe('labeler1');
        expect(store.location).toContain('labeler1:***@');
        const datasetId = await store.ensureDataset('d');
        expect(await store.datasets()).toEqual([expect.objectContaining({ id: datasetId, name: 'd' })]);
        await store.image(12345, 'label').catch((e: Error) => messages.push(e.message));
        logger.info('catalog', `opened ${store.location}`);
      } finally {
        await store.close();
      }
      // A wrong password: the error names the user, never either password.
      const wrong = `${PASSWORD}-wrong`;
      const failed = await openCatalogStore({
        workspace: cluster.url('dept', 'labeler1', wrong),
        logger,
      }).catch((e: Error & { code?: string }) => e);
      expect(failed).toMatchObject({ code: 'UNAVAILABLE' });
      messages.push((failed as Error).message, String((failed as Error).stack));
      expect(messages.join('\n')).toMatch(
        /no image 12345[\s\S]*password authentication failed for user "labeler1"/,
      );
      const everything = [...lines, ...messages].join('\n');
      for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), wrong, encodeURIComponent(wrong)])
        expect(everything).not.toContain(secret);
      // And the catalog holds no trace of it either.
      const rows = await cluster.sql<{ t: string }>(
        `SELECT string_agg(value, ' ') AS t FROM settings`,
        [],
        'dept',
      );
      expect(String(rows[0]?.t ?? '')).not.toContain(PASSWORD);
    }, 60_000);
  },
);
