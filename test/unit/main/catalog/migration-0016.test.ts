import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { CatalogStore, NewImage } from '../../../../main/catalog-store/catalog-store';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { createPgPool } from '../../../../main/catalog-store/pg-pool';
import { AppError } from '../../../../shared/contract/result';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';

/**
 * Migration 0016: PostgreSQL itself refuses a labeler's adjudication by plain SQL. The roles and
 * grants are the README's IT setup (sonofuse_labeler with table rights; sonofuse_reviewer in it).
 */
const PASSWORD = 'guard-pass';
const hash = (i: number): string => (i + 500).toString(16).padStart(64, '0');
const image = (datasetId: number, i: number): NewImage => ({
  datasetId,
  sha256: hash(i),
  frame: 0,
  file: `img-${i}.png`,
  originalPath: `scans/img-${i}.png`,
  storedPath: `${hash(i).slice(0, 2)}/${hash(i)}.png`,
  format: 'png',
  sourceFormat: 'png',
  width: 10,
  height: 10,
  bytes: 100,
  user: 'import',
});

describe.skipIf(pgSkipReason !== null)(
  `migration 0016: reviewer-only writes enforced by PostgreSQL ${pgSkipReason ?? ''}`,
  () => {
    let cluster: PgCluster;
    const opened: CatalogStore[] = [];
    const clients: pg.Client[] = [];
    beforeAll(async () => {
      cluster = await startPgCluster();
      await cluster.sql(`CREATE ROLE sonofuse_labeler NOLOGIN`);
      await cluster.sql(`CREATE ROLE sonofuse_reviewer NOLOGIN IN ROLE sonofuse_labeler`);
      await cluster.sql(`CREATE ROLE ann LOGIN PASSWORD '${PASSWORD}' IN ROLE sonofuse_labeler`);
      await cluster.sql(`CREATE ROLE bo LOGIN PASSWORD '${PASSWORD}' IN ROLE sonofuse_labeler`);
      await cluster.sql(`CREATE ROLE rev LOGIN PASSWORD '${PASSWORD}' IN ROLE sonofuse_reviewer`);
      // README step 1: the schema belongs to a plain (non-superuser) role.
      await cluster.sql(`CREATE ROLE sonofuse_admin LOGIN PASSWORD '${PASSWORD}'`);
    }, 60_000);
    afterAll(async () => {
      for (const c of clients) await c.end();
      for (const s of opened) await s.close();
      cluster?.stop();
    });

    const refusal = (p: Promise<unknown>): Promise<string | undefined> =>
      p.then(
        () => undefined,
        (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
      );

    it("refuses a labeler's direct INSERT/UPDATE that would decide, while the reviewer's adjudication through the app works", async () => {
      const url = await cluster.createDatabase();
      const name = decodeURIComponent(url.split('@/')[1]!.split('?')[0]!);
      await cluster.sql(`ALTER DATABASE "${name}" OWNER TO sonofuse_admin`);
      await cluster.sql('ALTER SCHEMA public OWNER TO sonofuse_admin', [], name);
      const admin = await openPgCatalogStore({ url: cluster.url(name, 'sonofuse_admin', PASSWORD) });
      opened.push(admin);
      // README step 2: the working roles' grants.
      await cluster.sql(
        `GRANT USAGE ON SCHEMA public TO sonofuse_labeler;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sonofuse_labeler;
       GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sonofuse_labeler`,
        [],
        name,
      );
      const as = async (role: string): Promise<CatalogStore> => {
        const s = await openPgCatalogStore({ url: cluster.url(name, role, PASSWORD), migrate: false });
        opened.push(s);
        return s;
      };
      const sqlAs = async (role: string): Promise<pg.Client> => {
        const c = new pg.Client({ connectionString: cluster.url(name, role, PASSWORD) });
        await c.connect();
        clients.push(c);
        return c;
      };

      const datasetId = await admin.ensureDataset('guard');
      await admin.defineTask({ datasetId, name: 'plane', kind: 'single', classes: ['head', 'femur'] });
      const ids = (await admin.addImages([image(datasetId, 0), image(datasetId, 1)])).inserted;
      const rev = await as('rev');
      await rev.raters.setRaters({ datasetId, task: 'plane', raters: 2 });
      const rate = async (person: string, label: string) =>
        (await as(person)).setLabels({
          imageId: ids[0]!,
          task: 'plane',
          labels: [label],
          user: person,
          reason: '',
        });
      await rate('ann', 'head');
      await rate('bo', 'femur');

      const annSql = await sqlAs('ann');
      const taskId = (
        await annSql.query<{ id: string }>(
          `SELECT id FROM label_tasks WHERE dataset_id = $1 AND name = 'plane'`,
          [datasetId],
        )
      ).rows[0]!.id;
      const classId = async (label: string) =>
        (
          await annSql.query<{ id: string }>(
            'SELECT id FROM label_classes WHERE task_id = $1 AND name = $2',
            [taskId, label],
          )
        ).rows[0]!.id;
      const head = await classId('head');
      // The grants allow it; the database refuses it (42501 insufficient_privilege).
      expect(
        await refusal(
          annSql.query('INSERT INTO image_labels (image_id, task_id, class_id) VALUES ($1, $2, $3)', [
            ids[0],
            taskId,
            head,
          ]),
        ),
      ).toBe('42501: only a reviewer adjudicates: the task asks for several raters');
      expect(await refusal(annSql.query('UPDATE label_tasks SET raters = 1 WHERE id = $1', [taskId]))).toBe(
        '42501: only a reviewer sets how many raters a task asks for',
      );
      expect(
        await refusal(
          annSql.query(`UPDATE rater_labels SET class_id = $1 WHERE image_id = $2 AND rater = 'bo'`, [
            head,
            ids[0],
          ]),
        ),
      ).toBe('42501: a rater label is written by its own rater');
      // Nor delete bo's vote (the majority would then be hers), nor take it over as her own.
      expect(
        await refusal(
          annSql.query(`DELETE FROM rater_labels WHERE image_id = $1 AND rater = 'bo'`, [ids[0]]),
        ),
      ).toBe('42501: a rater label is written by its own rater');
      expect(
        await refusal(
          annSql.query(`UPDATE rater_labels SET rater = 'ann' WHERE image_id = $1 AND rater = 'bo'`, [
            ids[0],
          ]),
        ),
      ).toBe('42501: a rater label is written by its own rater');
      expect(
        await refusal(
          annSql.query(
            `INSERT INTO history (batch_id, image_id, kind, task_id, from_value, to_value, "user", reason, origin, at, adjudication)
           VALUES (nextval('history_batch_seq'), $1, 'label', $2, '[]', '["head"]', 'ann', '', 'edit', '2026-12-04', 1)`,
            [ids[0], taskId],
          ),
        ),
      ).toBe('42501: only a reviewer adjudicates');
      expect((await annSql.query('SELECT 1 FROM image_labels WHERE task_id = $1', [taskId])).rowCount).toBe(
        0,
      );
      // Through the app's pool the refusal is a typed FORBIDDEN, not INTERNAL.
      const annPool = createPgPool(cluster.url(name, 'ann', PASSWORD));
      const viaPool = await annPool.query('UPDATE label_tasks SET raters = 1 WHERE id = $1', [taskId]).then(
        () => null,
        (e: unknown) => e,
      );
      await annPool.end();
      expect(viaPool).toBeInstanceOf(AppError);
      expect((viaPool as AppError).code).toBe('FORBIDDEN');
      // Her own rater label is still hers to write.
      expect(
        await refusal(
          annSql.query(`UPDATE rater_labels SET at = at WHERE image_id = $1 AND rater = 'ann'`, [ids[0]]),
        ),
      ).toBeUndefined();

      // The reviewer's adjudication through the app passes the same triggers.
      const decided = await rev.raters.adjudicate({
        imageId: ids[0]!,
        task: 'plane',
        label: 'femur',
        user: 'rev',
        reason: '',
      });
      expect(decided.labels).toEqual(['femur']);
      const rows = await annSql.query<{ name: string }>(
        'SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id WHERE l.image_id = $1 AND l.task_id = $2',
        [ids[0], taskId],
      );
      expect(rows.rows.map((r) => r.name)).toEqual(['femur']);
      // ...and a labeler cannot overwrite the decision afterwards.
      expect(
        await refusal(
          annSql.query('UPDATE image_labels SET class_id = $1 WHERE image_id = $2 AND task_id = $3', [
            head,
            ids[0],
            taskId,
          ]),
        ),
      ).toMatch(/^42501: only a reviewer adjudicates/);
      expect(
        await refusal(
          annSql.query('DELETE FROM image_labels WHERE image_id = $1 AND task_id = $2', [ids[0], taskId]),
        ),
      ).toMatch(/^42501: only a reviewer adjudicates/);
      expect((await annSql.query('SELECT 1 FROM rater_labels WHERE image_id = $1', [ids[0]])).rowCount).toBe(
        2,
      );
      // Deleting an image still cascades through its labels, bo's vote included (checked where it
      // started, not row by row).
      await (
        await as('bo')
      ).setLabels({ imageId: ids[1]!, task: 'plane', labels: ['head'], user: 'bo', reason: '' });
      expect((await annSql.query('SELECT 1 FROM rater_labels WHERE image_id = $1', [ids[1]])).rowCount).toBe(
        1,
      );
      expect(await refusal(annSql.query('DELETE FROM images WHERE id = $1', [ids[1]]))).toBeUndefined();
      expect((await annSql.query('SELECT 1 FROM images WHERE id = $1', [ids[1]])).rowCount).toBe(0);
      expect((await annSql.query('SELECT 1 FROM rater_labels WHERE image_id = $1', [ids[1]])).rowCount).toBe(
        0,
      );
    });
  },
);
