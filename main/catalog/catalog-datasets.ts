import type { DatasetChange, DatasetSummary, ImportElsewhere } from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import type { CatalogDb } from './catalog-db';

const USER_NAME_KEY = 'user_name';
const VIEW_KEY = 'view_state';
const EXAMPLES = 20;

interface DatasetRow {
  id: number;
  name: string;
  deleted_at: string | null;
}

/**
 * The datasets of one catalog as things a person manages: list (live ones only), rename, delete
 * (a mark: images, labels and their history stay, see migration 0011), the append-only log of
 * those changes, and the labeller's name remembered per workspace (the catalog's settings).
 */
export const createCatalogDatasets = (cdb: CatalogDb, now: () => string = () => new Date().toISOString()) => {
  const row = (id: number): DatasetRow => {
    const found = cdb.get<DatasetRow>(
      'dataset.row',
      'SELECT id, name, deleted_at FROM datasets WHERE id = ?',
      id,
    );
    if (!found || found.deleted_at !== null) throw new AppError('NOT_FOUND', `dataset ${id} does not exist`);
    return found;
  };
  const log = (datasetId: number, kind: 'rename' | 'delete', from: string, to: string | null, user: string) =>
    cdb.run(
      'dataset.history.append',
      'INSERT INTO dataset_history (dataset_id, kind, from_value, to_value, user, at) VALUES (?, ?, ?, ?, ?, ?)',
      datasetId,
      kind,
      from,
      to,
      user,
      now(),
    );

  /** Datasets that are not deleted, with their image counts, oldest first. */
  const list = (): DatasetSummary[] =>
    cdb.all<DatasetSummary>(
      'datasets.list',
      `SELECT d.id, d.name, d.created_at AS createdAt,
         (SELECT count(*) FROM images i WHERE i.dataset_id = d.id) AS images
       FROM datasets d WHERE d.deleted_at IS NULL ORDER BY d.id`,
    );

  return {
    list,
    /** True when `name` belongs to a deleted dataset's row (an import by that name must not revive it). */
    isDeletedName: (name: string): boolean =>
      cdb.get(
        'dataset.deletedByName',
        'SELECT 1 FROM datasets WHERE name = ? AND deleted_at IS NOT NULL',
        name,
      ) !== undefined,
    /** Renames a dataset; CONFLICT when another dataset has the name. Logged in dataset_history. */
    rename(input: { datasetId: number; name: string; user: string }): DatasetSummary {
      return cdb.transaction(() => {
        const current = row(input.datasetId);
        const name = input.name.trim();
        if (name !== current.name) {
          if (cdb.get('dataset.byName', 'SELECT id FROM datasets WHERE name = ?', name))
            throw new AppError('CONFLICT', `a dataset named "${name}" already exists`);
          cdb.run('dataset.rename', 'UPDATE datasets SET name = ? WHERE id = ?', name, input.datasetId);
          log(input.datasetId, 'rename', current.name, name, input.user);
        }
        return list().find((d) => d.id === input.datasetId)!;
      });
    },
    /**
     * Deletes a dataset by marking it: it leaves every list, its name is free again, and nothing
     * of its audit trail goes (label/note/flag history rows stay and name the dataset through the
     * mark; the delete itself is logged with who did it).
     */
    remove(input: { datasetId: number; user: string }): DatasetChange {
      return cdb.transaction(() => {
        const current = row(input.datasetId);
        const at = now();
        const hidden = `${current.name} [deleted ${current.id}]`;
        cdb.run(
          'dataset.delete',
          'UPDATE datasets SET deleted_at = ?, deleted_by = ?, name = ? WHERE id = ?',
          at,
          input.user,
          hidden,
          input.datasetId,
        );
        log(input.datasetId, 'delete', current.name, null, input.user);
        return { id: current.id, name: current.name, at, user: input.user };
      });
    },
    /** Renames and deletes, newest first (deleted datasets included). */
    history: (datasetId?: number) =>
      cdb
        .all<{
          id: number;
          dataset_id: number;
          kind: 'rename' | 'delete';
          from_value: string;
          to_value: string | null;
          user: string;
          at: string;
        }>(
          'dataset.history',
          'SELECT * FROM dataset_history WHERE (? IS NULL OR dataset_id = ?) ORDER BY id DESC',
          datasetId ?? null,
          datasetId ?? null,
        )
        .map((r) => ({
          id: r.id,
          datasetId: r.dataset_id,
          kind: r.kind,
          from: r.from_value,
          to: r.to_value,
          user: r.user,
          at: r.at,
        })),
    /** The labeller's name of this workspace, or null until someone gave it. */
    userName: (): string | null =>
      cdb.get<{ value: string }>('settings.get', 'SELECT value FROM settings WHERE key = ?', USER_NAME_KEY)
        ?.value ?? null,
    /** Where the user was (JSON as the app saved it), or null. */
    viewState(): unknown {
      const raw = cdb.get<{ value: string }>(
        'settings.get',
        'SELECT value FROM settings WHERE key = ?',
        VIEW_KEY,
      )?.value;
      if (raw === undefined) return null;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return null;
      }
    },
    setViewState(view: unknown): void {
      cdb.run(
        'settings.put',
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        VIEW_KEY,
        JSON.stringify(view),
      );
    },
    setUserName(name: string): string {
      const clean = name.trim();
      cdb.run(
        'settings.put',
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        USER_NAME_KEY,
        clean,
      );
      return clean;
    },
    /**
     * Images of one import run whose content (sha256 of the source file) is already in another
     * dataset that is not deleted: counts per dataset and a few examples. Null when there are none.
     */
    elsewhere(importJobId: number): ImportElsewhere | null {
      const rows = cdb.all<{ file: string; dataset: string }>(
        'import.elsewhere',
        `SELECT i.file AS file, min(d.name) AS dataset FROM images i
           JOIN images o ON o.sha256 = i.sha256 AND o.dataset_id <> i.dataset_id
           JOIN datasets d ON d.id = o.dataset_id AND d.deleted_at IS NULL
         WHERE i.import_job_id = ? GROUP BY i.id ORDER BY i.id`,
        importJobId,
      );
      if (rows.length === 0) return null;
      const per = new Map<string, number>();
      for (const r of rows) per.set(r.dataset, (per.get(r.dataset) ?? 0) + 1);
      return {
        images: rows.length,
        datasets: [...per].map(([name, images]) => ({ name, images })),
        examples: rows.slice(0, EXAMPLES),
      };
    },
  };
};

export type CatalogDatasets = ReturnType<typeof createCatalogDatasets>;
