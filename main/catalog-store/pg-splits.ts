import { AppError } from '../../shared/contract/result';
import type { SplitSummary } from '../../shared/contract/catalog';
import { buildSplit } from '../catalog/split-builder';
import type { CreateSplitInput } from './catalog-store';
import { CHANGE_CHANNEL } from './pg-catalog-edits';
import type { PgPool } from './pg-pool';

const percent = (r: number): string => String(Math.round(r * 100));

/**
 * `catalog:createSplit` on PostgreSQL with the SQLite catalog's semantics (catalog-splits.ts): the
 * same group-aware stratified assignment (split-builder.ts, same seed = same split), the same default
 * name, and a stored split of that name reused, never rewritten. Two workstations creating the same
 * name at once get one split: the loser of the unique (dataset, name) insert returns the winner's.
 */
export const createPgSplits = (pool: PgPool, list: (datasetId: number) => Promise<SplitSummary[]>) => ({
  async create(input: CreateSplitInput): Promise<SplitSummary> {
    const { train, validation, test } = input.ratios;
    const name = input.name ?? `seed${input.seed}-${percent(train)}-${percent(validation)}-${percent(test)}`;
    const stored = async (): Promise<SplitSummary | undefined> =>
      (await list(input.datasetId)).find((s) => s.name === name);
    const made = await pool.transaction(async (query) => {
      if ((await query('SELECT 1 FROM datasets WHERE id = $1', [input.datasetId])).length === 0)
        throw new AppError('NOT_FOUND', `no dataset ${input.datasetId}`);
      const taskId =
        (
          await query<{ id: number }>('SELECT id FROM label_tasks WHERE dataset_id = $1 AND name = $2', [
            input.datasetId,
            input.task,
          ])
        )[0]?.id ?? null;
      const id = (
        await query<{ id: number }>(
          `INSERT INTO splits (dataset_id, name, task_id, seed, ratios, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (dataset_id, name) DO NOTHING RETURNING id`,
          [
            input.datasetId,
            name,
            taskId,
            input.seed,
            JSON.stringify({ train, validation, test }),
            new Date().toISOString(),
          ],
        )
      )[0]?.id;
      if (id === undefined) return null; // stored already (by us earlier, or another workstation now)
      const rows = await query<{
        id: number;
        p: number | null;
        e: number | null;
        s: number | null;
        label: string | null;
      }>(
        `SELECT i.id, i.patient_group_id AS p, i.exam_group_id AS e, i.source_group_id AS s,
           (SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
            WHERE l.image_id = i.id AND l.task_id = $1 ORDER BY c.ordinal LIMIT 1) AS label
         FROM images i WHERE i.dataset_id = $2 ORDER BY i.id`,
        [taskId ?? -1, input.datasetId],
      );
      const assignment = buildSplit(
        rows.map((r) => ({
          id: Number(r.id),
          label: r.label,
          groups: [
            r.p === null ? null : `p${r.p}`,
            r.e === null ? null : `e${r.e}`,
            r.s === null ? null : `s${r.s}`,
          ].filter((g): g is string => g !== null),
        })),
        input.ratios,
        input.seed,
      );
      const ids = [...assignment.keys()];
      await query(
        `INSERT INTO split_assignments (split_id, image_id, part)
         SELECT $1, image_id, part FROM unnest($2::bigint[], $3::text[]) AS a(image_id, part)`,
        [id, ids, ids.map((i) => assignment.get(i)!)],
      );
      await query('SELECT pg_notify($1, $2)', [
        CHANGE_CHANNEL,
        JSON.stringify({ datasetId: input.datasetId, kind: 'split', imageIds: [] }),
      ]);
      return Number(id);
    });
    const split = await stored();
    if (!split) throw new AppError('INTERNAL', `split "${name}" was not stored`);
    return { ...split, reused: made === null };
  },
});
