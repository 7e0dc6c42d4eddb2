import { AppError } from '../../shared/contract/result';
import type { DatasetChange, DatasetSummary } from '../../shared/contract/catalog';
import { CHANGE_CHANNEL } from './pg-catalog-edits';
import type { PgPool, PgQuery } from './pg-pool';

const nowIso = (): string => new Date().toISOString();

/**
 * Dataset rename and delete on PostgreSQL with the SQLite catalog's semantics (catalog-datasets.ts):
 * a taken name is CONFLICT; a delete is a mark (the name gets a ` [deleted N]` suffix, images and
 * history stay) that needs the current name typed again and, on a shared catalog, the reviewer role
 * (FORBIDDEN otherwise). Both are logged in `dataset_history` by the signed-in role.
 */
export const createPgDatasets = (
  pool: PgPool,
  user: () => Promise<string>,
  isReviewer: () => Promise<boolean>,
  list: () => Promise<DatasetSummary[]>,
) => {
  const current = async (query: PgQuery, id: number) => {
    const row = (
      await query<{ id: number; name: string; deleted_at: string | null }>(
        'SELECT id, name, deleted_at FROM datasets WHERE id = $1 FOR UPDATE',
        [id],
      )
    )[0];
    if (!row || row.deleted_at !== null) throw new AppError('NOT_FOUND', `dataset ${id} does not exist`);
    return row;
  };
  const log = (
    query: PgQuery,
    id: number,
    kind: 'rename' | 'delete',
    from: string,
    to: string | null,
    by: string,
  ) =>
    query(
      `INSERT INTO dataset_history (dataset_id, kind, from_value, to_value, "user", at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, kind, from, to, by, nowIso()],
    );
  const notify = (query: PgQuery, datasetId: number) =>
    query('SELECT pg_notify($1, $2)', [
      CHANGE_CHANNEL,
      JSON.stringify({ datasetId, kind: 'datasets', imageIds: [] }),
    ]);

  return {
    async rename(input: { datasetId: number; name: string }): Promise<DatasetSummary> {
      const by = await user();
      const name = input.name.trim();
      await pool
        .transaction(async (query) => {
          const row = await current(query, input.datasetId);
          if (name === row.name) return;
          if ((await query('SELECT 1 FROM datasets WHERE name = $1', [name])).length > 0)
            throw new AppError('CONFLICT', `a dataset named "${name}" already exists`);
          await query('UPDATE datasets SET name = $1 WHERE id = $2', [name, input.datasetId]);
          await log(query, input.datasetId, 'rename', row.name, name, by);
          await notify(query, input.datasetId);
        })
        .catch((error: unknown) => {
          // Another workstation took the name between the check and the update (unique violation,
          // which the pool reports as INVALID_INPUT with PostgreSQL's message).
          if (error instanceof AppError && /duplicate key/.test(error.message))
            throw new AppError('CONFLICT', `a dataset named "${name}" already exists`);
          throw error;
        });
      return (await list()).find((d) => d.id === input.datasetId)!;
    },
    async remove(input: { datasetId: number; confirmName: string }): Promise<DatasetChange> {
      if (!(await isReviewer()))
        throw new AppError('FORBIDDEN', 'only a reviewer (member of sonofuse_reviewer) deletes a dataset');
      const by = await user();
      return pool.transaction(async (query) => {
        const row = await current(query, input.datasetId);
        if (row.name !== input.confirmName.trim())
          throw new AppError('CONFLICT', `the name typed does not match dataset "${row.name}"`);
        const at = nowIso();
        await query('UPDATE datasets SET deleted_at = $1, deleted_by = $2, name = $3 WHERE id = $4', [
          at,
          by,
          `${row.name} [deleted ${row.id}]`,
          input.datasetId,
        ]);
        await log(query, input.datasetId, 'delete', row.name, null, by);
        await notify(query, input.datasetId);
        return { id: Number(row.id), name: row.name, at, user: by };
      });
    },
  };
};
