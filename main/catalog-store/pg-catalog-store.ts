import { AppError } from '../../shared/contract/result';
import type { CatalogChange, ImageDetail, MetadataValue } from '../../shared/contract/catalog';
import type { Logger } from '../core/logger';
import { typeValue } from '../catalog/catalog-repository';
import { detailFacts, metadataValue, type DetailRow } from '../catalog/catalog-rows';
import { definedClass, type CatalogStore, type NewImage, type SnapshotRow } from './catalog-store';
import { createPgBatchEdits } from './pg-batch-edits';
import { CHANGE_CHANNEL, createPgEdits } from './pg-catalog-edits';
import { createPgReads } from './pg-catalog-reads';
import { pgImagePage } from './pg-image-query';
import { createPgPageCache } from './pg-page-cache';
import { createPgLabelJobs } from './pg-label-jobs';
import { migratePg } from './pg-migrate';
import { createPgPool, type PgQuery } from './pg-pool';
import { createPgRaterStore } from './pg-rater-store';
import { createPgDatasets } from './pg-datasets';
import { pgExportDataset } from './pg-export';
import { createPgSplits } from './pg-splits';
import { createPgTaskEdits } from './pg-task-edits';
import { withRaterRules } from './rater-store';
import { redactSecrets, redactUrl } from './workspace-location';

export interface PgCatalogStoreOptions {
  /** `postgres://` or `postgresql://` (TLS and credentials as libpq takes them). */
  url: string;
  logger?: Logger;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  poolSize?: number;
}

const nowIso = (): string => new Date().toISOString();

/** A stored path must be relative to the shared image store: never one machine's absolute path. */
const checkRelative = (path: string | null, what: string): void => {
  if (path !== null && (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')))
    throw new AppError('INVALID_INPUT', `${what} must be relative to the shared image store`);
};

/**
 * The catalog on a department's PostgreSQL (npm `pg`, parameterised statements only). Opening
 * migrates under an advisory lock; every label/note/flag row is attributed to the signed-in role.
 */
export const openPgCatalogStore = async (options: PgCatalogStoreOptions): Promise<CatalogStore> => {
  const pool = createPgPool(options.url, { logger: options.logger, max: options.poolSize });
  if (options.migrate !== false) {
    const client = await pool.connect();
    try {
      await migratePg(client);
    } catch (error) {
      throw error instanceof AppError
        ? error
        : new AppError(
            'INTERNAL',
            redactSecrets(error instanceof Error ? error.message : String(error), options.url),
          );
    } finally {
      client.release();
    }
  }
  const query: PgQuery = pool.query;
  // Totals and keyset anchors of the grid's page queries, per catalog snapshot (pg-page-cache.ts).
  const pageCache = createPgPageCache();
  let role: string | null = null;
  const currentUser = async (): Promise<string> =>
    (role ??= (await query<{ u: string }>('SELECT current_user AS u'))[0]!.u);
  const reads = createPgReads(query);
  const edits = createPgEdits(pool, currentUser);
  const batchEdits = createPgBatchEdits(pool, currentUser);
  const splitMaker = createPgSplits(pool, reads.splits);
  const taskEdits = createPgTaskEdits(pool, currentUser, reads.tasks);
  const datasetEdits = createPgDatasets(pool, currentUser, () => store.isReviewer(), reads.datasets);
  const listeners = new Set<(c: CatalogChange) => void>();
  let listening: Promise<{ release: () => void }> | null = null;

  const detail = async (id: number, task: string): Promise<ImageDetail> => {
    const r = (
      await query<DetailRow>(
        `SELECT i.*, pg.key AS patient, eg.key AS exam, sg.key AS source, n.text AS note
         FROM images i LEFT JOIN groups pg ON pg.id = i.patient_group_id
         LEFT JOIN groups eg ON eg.id = i.exam_group_id LEFT JOIN groups sg ON sg.id = i.source_group_id
         LEFT JOIN notes n ON n.image_id = i.id WHERE i.id = $1`,
        [id],
      )
    )[0];
    if (!r) throw new AppError('NOT_FOUND', `no image ${id}`);
    const metadata: MetadataValue[] = (
      await query<{ key: string; type: MetadataValue['type']; num: number | null; text: string }>(
        'SELECT key, type, num, text FROM image_metadata WHERE image_id = $1 ORDER BY key COLLATE "C"',
        [id],
      )
    ).map(metadataValue);
    const labels = (
      await query<{ name: string }>(
        `SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id JOIN label_tasks t ON t.id = l.task_id
         WHERE l.image_id = $1 AND t.name = $2 ORDER BY c.ordinal`,
        [id, task],
      )
    ).map((l) => l.name);
    const version = (
      await query<{ version: number; by_user: string; at: string }>(
        `SELECT v.version, v.by_user, v.at FROM label_versions v JOIN label_tasks t ON t.id = v.task_id
         WHERE v.image_id = $1 AND t.name = $2`,
        [id, task],
      )
    )[0];
    const flag =
      (
        await query<{ reason: string; user: string; at: string }>(
          'SELECT reason, flagged_by AS "user", flagged_at AS at FROM image_flags WHERE image_id = $1',
          [id],
        )
      )[0] ?? null;
    return {
      ...detailFacts(r),
      labels,
      metadata,
      history: (await reads.history(id, 1000)).filter((h) => h.kind !== 'label' || h.task === task),
      flag,
      labelVersion: version?.version ?? 0,
      labelledBy: version?.by_user ?? null,
      labelledAt: version?.at ?? null,
    };
  };

  const ensureGroup = async (q: PgQuery, datasetId: number, kind: string, key: string | null | undefined) => {
    if (!key) return null;
    await q('INSERT INTO groups (dataset_id, kind, key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      datasetId,
      kind,
      key,
    ]);
    return (
      await q<{ id: number }>('SELECT id FROM groups WHERE dataset_id = $1 AND kind = $2 AND key = $3', [
        datasetId,
        kind,
        key,
      ])
    )[0]!.id;
  };

  const store: Omit<CatalogStore, 'raters'> = {
    engine: 'postgres',
    jobs: createPgLabelJobs(pool, currentUser),
    location: redactUrl(options.url),
    currentUser,
    async isReviewer() {
      return (
        (
          await query<{ r: boolean }>(
            `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sonofuse_reviewer')
               AND pg_has_role(current_user, 'sonofuse_reviewer', 'MEMBER') AS r`,
          )
        )[0]?.r ?? false
      );
    },
    datasets: reads.datasets,
    renameDataset: (input) => datasetEdits.rename(input),
    deleteDataset: (input) => datasetEdits.remove(input),
    async ensureDataset(name) {
      await query('INSERT INTO datasets (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        nowIso(),
      ]);
      return (await query<{ id: number }>('SELECT id FROM datasets WHERE name = $1', [name]))[0]!.id;
    },
    tasks: reads.tasks,
    async defineTask(input) {
      await pool.transaction(async (q) => {
        if ((await q('SELECT 1 FROM datasets WHERE id = $1', [input.datasetId])).length === 0)
          throw new AppError('NOT_FOUND', `no dataset ${input.datasetId}`);
        await q(
          `INSERT INTO label_tasks (dataset_id, name, kind, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [input.datasetId, input.name, input.kind, nowIso()],
        );
        const taskId = (
          await q<{ id: number }>('SELECT id FROM label_tasks WHERE dataset_id = $1 AND name = $2', [
            input.datasetId,
            input.name,
          ])
        )[0]!.id;
        await q('SELECT pg_advisory_xact_lock(1, $1)', [taskId]);
        // As the SQLite catalog: a parent is created first; an existing class keeps its parent.
        const ensure = (name: string, parent: string | null) =>
          q(
            `INSERT INTO label_classes (task_id, name, parent_id, ordinal)
             VALUES ($1, $2, (SELECT id FROM label_classes WHERE task_id = $1 AND name = $3::text),
               (SELECT coalesce(max(ordinal), -1) + 1 FROM label_classes WHERE task_id = $1))
             ON CONFLICT (task_id, name) DO NOTHING`,
            [taskId, name, parent],
          );
        for (const c of input.classes.map(definedClass)) {
          if (c.parent) await ensure(c.parent, null);
          await ensure(c.name, c.parent);
          if (c.colour)
            await q('UPDATE label_classes SET colour = $1 WHERE task_id = $2 AND name = $3', [
              c.colour,
              taskId,
              c.name,
            ]);
        }
      });
      return (await reads.tasks(input.datasetId)).find((t) => t.name === input.name)!;
    },
    editTask: (input) => taskEdits.editTask(input),
    taskHistory: (datasetId, task, limit) => taskEdits.taskHistory(datasetId, task, limit),
    images: (q) => pgImagePage(query, q, pageCache),
    image: detail,
    async storedPath(id) {
      const row = (
        await query<{ p: string | null }>('SELECT stored_path AS p FROM images WHERE id = $1', [id])
      )[0];
      if (!row) throw new AppError('NOT_FOUND', `no image ${id}`);
      return row.p;
    },
    setLabels: edits.setLabels,
    bulkRelabel: batchEdits.bulkRelabel,
    undo: batchEdits.undo,
    setNote: edits.setNote,
    setFlag: edits.setFlag,
    history: reads.history,
    stats: reads.stats,
    splits: reads.splits,
    createSplit: splitMaker.create,
    exportDataset: (input) => pgExportDataset(query, input),
    splitAssignments: reads.splitAssignments,
    async addImages(rows: NewImage[]) {
      for (const r of rows) {
        checkRelative(r.storedPath, 'an image store path');
        checkRelative(r.originalPath, 'an original path');
      }
      const by = await currentUser();
      return pool.transaction(async (q) => {
        const inserted: number[] = [];
        let duplicates = 0;
        const batchId = (await q<{ id: number }>(`SELECT nextval('history_batch_seq') AS id`))[0]!.id;
        for (const r of rows) {
          const [patient, exam, source] = [
            await ensureGroup(q, r.datasetId, 'patient', r.patient),
            await ensureGroup(q, r.datasetId, 'exam', r.exam),
            await ensureGroup(q, r.datasetId, 'source', r.source),
          ];
          const id = (
            await q<{ id: number }>(
              `INSERT INTO images (dataset_id, sha256, frame, file, original_path, stored_path, format, source_format,
                 width, height, bytes, patient_group_id, exam_group_id, source_group_id, import_job_id, imported_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
               ON CONFLICT (dataset_id, sha256, frame) DO NOTHING RETURNING id`,
              [
                r.datasetId,
                r.sha256,
                r.frame,
                r.file,
                r.originalPath,
                r.storedPath,
                r.format,
                r.sourceFormat,
                r.width,
                r.height,
                r.bytes,
                patient,
                exam,
                source,
                r.importJobId ?? null,
                nowIso(),
              ],
            )
          )[0]?.id;
          if (id === undefined) {
            duplicates++;
            continue;
          }
          inserted.push(id);
          for (const [key, raw] of Object.entries(r.metadata ?? {})) {
            const v = typeValue(raw);
            await q(
              'INSERT INTO image_metadata (image_id, key, type, num, text) VALUES ($1, $2, $3, $4, $5)',
              [id, key, v.type, v.num, v.text],
            );
          }
          if (r.note)
            await q('INSERT INTO notes (image_id, text, updated_at, updated_by) VALUES ($1, $2, $3, $4)', [
              id,
              r.note,
              nowIso(),
              by,
            ]);
          for (const [task, labels] of Object.entries(r.labels ?? {})) {
            // Like a label write, the default single-label task "label" is created on first use.
            await q(
              `INSERT INTO label_tasks (dataset_id, name, kind, created_at) SELECT $1, 'label', 'single', $2
               WHERE $3 = 'label' ON CONFLICT DO NOTHING`,
              [r.datasetId, nowIso(), task],
            );
            const taskId = (
              await q<{ id: number }>('SELECT id FROM label_tasks WHERE dataset_id = $1 AND name = $2', [
                r.datasetId,
                task,
              ])
            )[0]?.id;
            if (taskId === undefined) throw new AppError('NOT_FOUND', `no label task "${task}"`);
            for (const name of labels) {
              await q(
                `INSERT INTO label_classes (task_id, name, ordinal)
                 VALUES ($1, $2, (SELECT coalesce(max(ordinal), -1) + 1 FROM label_classes WHERE task_id = $1))
                 ON CONFLICT (task_id, name) DO NOTHING`,
                [taskId, name],
              );
              await q(
                `INSERT INTO image_labels (image_id, task_id, class_id)
                 SELECT $1, $2, id FROM label_classes WHERE task_id = $2 AND name = $3 ON CONFLICT DO NOTHING`,
                [id, taskId, name],
              );
            }
            await q(
              `INSERT INTO history (batch_id, image_id, kind, task_id, from_value, to_value, "user", reason, origin, at)
               VALUES ($1, $2, 'label', $3, '[]', $4, $5, '', 'import', $6)`,
              [batchId, id, taskId, JSON.stringify(labels), by, nowIso()],
            );
          }
        }
        if (inserted.length > 0)
          await q('SELECT pg_notify($1, $2)', [
            CHANGE_CHANNEL,
            JSON.stringify({
              datasetId: rows[0]!.datasetId,
              kind: 'import',
              imageIds: inserted.slice(0, 100),
            }),
          ]);
        return { inserted, duplicates };
      });
    },
    async snapshotRows(q) {
      const rows = await query<Omit<SnapshotRow, 'metadata' | 'storedPath'> & { stored_path: string | null }>(
        `SELECT i.id, i.sha256, i.stored_path, i.frame, i.file, i.format, i.width, i.height, i.bytes,
           (SELECT key FROM groups WHERE id = i.patient_group_id) AS patient,
           (SELECT key FROM groups WHERE id = i.exam_group_id) AS exam,
           (SELECT key FROM groups WHERE id = i.source_group_id) AS source,
           (SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id JOIN label_tasks t ON t.id = l.task_id
            WHERE l.image_id = i.id AND t.dataset_id = i.dataset_id AND t.name = $1 ORDER BY c.ordinal LIMIT 1) AS label,
           (SELECT a.part FROM split_assignments a WHERE a.split_id = $2 AND a.image_id = i.id) AS part,
           (SELECT n.text FROM notes n WHERE n.image_id = i.id) AS note
         FROM images i WHERE i.dataset_id = $3 ORDER BY i.id`,
        [q.task, q.splitId ?? -1, q.datasetId],
      );
      const meta = new Map<number, SnapshotRow['metadata']>();
      for (const m of await query<{
        image_id: number;
        key: string;
        type: 'number' | 'category' | 'date';
        num: number | null;
        text: string;
      }>(
        `SELECT m.image_id, m.key, m.type, m.num, m.text FROM image_metadata m JOIN images i ON i.id = m.image_id
         WHERE i.dataset_id = $1`,
        [q.datasetId],
      )) {
        const row = meta.get(m.image_id) ?? (Object.create(null) as SnapshotRow['metadata']);
        row[m.key] = { type: m.type, num: m.num, text: m.text };
        meta.set(m.image_id, row);
      }
      return rows.map(({ stored_path, ...r }) => ({
        ...r,
        storedPath: stored_path,
        metadata: meta.get(r.id) ?? (Object.create(null) as SnapshotRow['metadata']),
      }));
    },
    onChanged(listener) {
      listeners.add(listener);
      listening ??= (async () => {
        const client = await pool.connect();
        client.on('notification', (message) => {
          if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
          const change = JSON.parse(message.payload) as CatalogChange;
          for (const l of listeners) l(change);
        });
        await client.query(`LISTEN ${CHANGE_CHANNEL}`);
        return client;
      })();
      return () => listeners.delete(listener);
    },
    async close() {
      if (listening) (await listening.catch(() => null))?.release();
      await pool.end();
    },
  };
  return withRaterRules(
    store,
    createPgRaterStore(pool, currentUser, () => store.isReviewer()),
  );
};
