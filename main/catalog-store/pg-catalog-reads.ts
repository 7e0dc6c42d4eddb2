import {
  SplitPart,
  type DatasetStats,
  type DatasetSummary,
  type HistoryEntry,
  type LabelTask,
  type SplitSummary,
} from '../../shared/contract/catalog';
import type { PgQuery } from './pg-pool';
import { historyEntry, type HistoryRow } from '../catalog/catalog-rows';

const HISTORY_SELECT = `SELECT h.id, h.batch_id, h.image_id, h.kind, t.name AS task, h.from_value, h.to_value,
  h."user", h.reason, h.origin, h.undoes_batch, h.at, h.suggestion_model, h.suggestion_p,
  h.adjudication FROM history h LEFT JOIN label_tasks t ON t.id = h.task_id`;

interface SplitRow {
  id: number;
  dataset_id: number;
  name: string;
  seed: number;
  ratios: string;
  created_at: string;
  task_id: number | null;
}

/** The read paths of the pg catalog store, with the SQLite catalog's shapes and orders. */
export const createPgReads = (query: PgQuery) => {
  const splitSummary = async (row: SplitRow): Promise<SplitSummary> => ({
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    seed: row.seed,
    ratios: JSON.parse(row.ratios) as SplitSummary['ratios'],
    createdAt: row.created_at,
    reused: false,
    parts: await Promise.all(
      SplitPart.options.map(async (part) => {
        const counts = (
          await query<{ images: number; groups: number }>(
            `SELECT count(*) AS images,
               count(DISTINCT coalesce('p' || i.patient_group_id, 'e' || i.exam_group_id, 's' || i.source_group_id, 'i' || i.id)) AS groups
             FROM split_assignments a JOIN images i ON i.id = a.image_id WHERE a.split_id = $1 AND a.part = $2`,
            [row.id, part],
          )
        )[0]!;
        const labels =
          row.task_id === null
            ? []
            : await query<{ label: string; count: number }>(
                `SELECT c.name AS label, count(*) AS count FROM split_assignments a
                 JOIN image_labels l ON l.image_id = a.image_id AND l.task_id = $1
                 JOIN label_classes c ON c.id = l.class_id
                 WHERE a.split_id = $2 AND a.part = $3 GROUP BY c.id, c.name, c.ordinal ORDER BY c.ordinal`,
                [row.task_id, row.id, part],
              );
        return { part, images: counts.images, groups: counts.groups, labels };
      }),
    ),
  });

  const reads = {
    datasets: (): Promise<DatasetSummary[]> =>
      query<DatasetSummary>(
        `SELECT d.id, d.name, d.created_at AS "createdAt",
           (SELECT count(*) FROM images i WHERE i.dataset_id = d.id) AS images
         FROM datasets d WHERE d.deleted_at IS NULL ORDER BY d.id`,
      ),
    async tasks(datasetId: number): Promise<LabelTask[]> {
      const tasks = await query<{ id: number; name: string; kind: 'single' | 'multi'; raters: number }>(
        'SELECT id, name, kind, raters FROM label_tasks WHERE dataset_id = $1 ORDER BY id',
        [datasetId],
      );
      return Promise.all(
        tasks.map(async (t) => ({
          id: t.id,
          datasetId,
          name: t.name,
          kind: t.kind,
          raters: t.raters,
          classes: await query<{ name: string; parent: string | null; colour: string | null }>(
            `SELECT c.name, p.name AS parent, c.colour FROM label_classes c
             LEFT JOIN label_classes p ON p.id = c.parent_id WHERE c.task_id = $1 ORDER BY c.ordinal`,
            [t.id],
          ),
        })),
      );
    },
    async history(imageId: number | undefined, limit = 200): Promise<HistoryEntry[]> {
      const rows =
        imageId === undefined
          ? await query<HistoryRow>(`${HISTORY_SELECT} ORDER BY h.id DESC LIMIT $1`, [limit])
          : await query<HistoryRow>(`${HISTORY_SELECT} WHERE h.image_id = $1 ORDER BY h.id DESC LIMIT $2`, [
              imageId,
              limit,
            ]);
      return rows.map(historyEntry);
    },
    async splits(datasetId: number): Promise<SplitSummary[]> {
      const rows = await query<SplitRow>('SELECT * FROM splits WHERE dataset_id = $1 ORDER BY id', [
        datasetId,
      ]);
      return Promise.all(rows.map(splitSummary));
    },
    async splitAssignments(splitId: number) {
      const rows = await query<{ image_id: number; part: SplitPart }>(
        'SELECT image_id, part FROM split_assignments WHERE split_id = $1',
        [splitId],
      );
      return new Map(rows.map((r) => [r.image_id, r.part]));
    },
    async stats(datasetId: number | undefined, taskName: string): Promise<DatasetStats[]> {
      const datasets = await query<{ id: number; name: string; images: number; mask: string | null }>(
        `SELECT d.id, d.name, d.burned_in_mask AS mask, (SELECT count(*) FROM images i WHERE i.dataset_id = d.id) AS images
         FROM datasets d WHERE d.deleted_at IS NULL AND ($1::bigint IS NULL OR d.id = $1::bigint) ORDER BY d.id`,
        [datasetId ?? null],
      );
      return Promise.all(
        datasets.map(async (d) => {
          const task = (
            await query<{ id: number }>('SELECT id FROM label_tasks WHERE dataset_id = $1 AND name = $2', [
              d.id,
              taskName,
            ])
          )[0];
          const labels = task
            ? await query<{ label: string; count: number }>(
                `SELECT c.name AS label, count(l.image_id) AS count FROM label_classes c
                 LEFT JOIN image_labels l ON l.class_id = c.id WHERE c.task_id = $1
                 GROUP BY c.id, c.name, c.ordinal ORDER BY c.ordinal`,
                [task.id],
              )
            : [];
          const unlabeled = (
            await query<{ n: number }>(
              `SELECT count(*) AS n FROM images i WHERE i.dataset_id = $1
               AND NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = i.id AND l.task_id = $2)`,
              [d.id, task?.id ?? -1],
            )
          )[0]!.n;
          const burned = (
            await query<{ images: number; masked: number | null }>(
              `SELECT count(*) AS images, sum(CASE WHEN burned_in = 2 THEN 1 ELSE 0 END) AS masked
               FROM images WHERE dataset_id = $1 AND burned_in > 0`,
              [d.id],
            )
          )[0]!;
          const splits = (await reads.splits(d.id)).map(({ reused: _reused, ...rest }) => rest);
          return {
            id: d.id,
            name: d.name,
            images: d.images,
            unlabeled,
            labels,
            splits,
            burnedIn: { images: burned.images, masked: burned.masked ?? 0 },
            burnedInMask: d.mask ? JSON.parse(d.mask) : null,
          };
        }),
      );
    },
  };
  return reads;
};
