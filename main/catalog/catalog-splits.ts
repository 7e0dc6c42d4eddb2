import { AppError } from '../../shared/contract/result';
import type { DatasetStats, SplitPart, SplitSummary } from '../../shared/contract/catalog';
import type { CatalogDb } from './catalog-db';
import type { Repository } from './catalog-repository';
import { buildSplit, PARTS, type SplitRatios } from './split-builder';

interface SplitRow {
  id: number;
  dataset_id: number;
  name: string;
  seed: number;
  ratios: string;
  created_at: string;
  task_id: number | null;
}

const percent = (r: number): string => String(Math.round(r * 100));

/** Stored splits and label statistics. A split, once written, is frozen and reused by name. */
export const createCatalogSplits = (cdb: CatalogDb, repo: Repository) => {
  const labelCounts = (sql: string, name: string, ...params: unknown[]) =>
    cdb.all<{ label: string; count: number }>(name, sql, ...params);

  const summary = (row: SplitRow, reused: boolean): SplitSummary => ({
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    seed: row.seed,
    ratios: JSON.parse(row.ratios) as SplitRatios,
    createdAt: row.created_at,
    reused,
    parts: PARTS.map((part) => {
      const counts = cdb.get<{ images: number; groups: number }>(
        'split.partCounts',
        `SELECT count(*) AS images,
           count(DISTINCT coalesce('p' || i.patient_group_id, 'e' || i.exam_group_id, 's' || i.source_group_id, 'i' || i.id)) AS groups
         FROM split_assignments a JOIN images i ON i.id = a.image_id WHERE a.split_id = ? AND a.part = ?`,
        row.id,
        part,
      )!;
      const labels =
        row.task_id === null
          ? []
          : labelCounts(
              `SELECT c.name AS label, count(*) AS count FROM split_assignments a
               JOIN image_labels l ON l.image_id = a.image_id AND l.task_id = ?
               JOIN label_classes c ON c.id = l.class_id
               WHERE a.split_id = ? AND a.part = ? GROUP BY c.id ORDER BY c.ordinal`,
              'split.partLabels',
              row.task_id,
              row.id,
              part,
            );
      return { part, images: counts.images, groups: counts.groups, labels };
    }),
  });

  const splits = {
    list(datasetId: number): SplitSummary[] {
      return cdb
        .all<SplitRow>('split.list', 'SELECT * FROM splits WHERE dataset_id = ? ORDER BY id', datasetId)
        .map((r) => summary(r, false));
    },
    get(splitId: number): SplitSummary {
      const row = cdb.get<SplitRow>('split.get', 'SELECT * FROM splits WHERE id = ?', splitId);
      if (!row) throw new AppError('NOT_FOUND', `no split ${splitId}`);
      return summary(row, false);
    },
    /** Creates the split, or returns the stored one with the same name (so runs stay comparable). */
    create(input: {
      datasetId: number;
      name?: string;
      seed: number;
      ratios: SplitRatios;
      task: string;
    }): SplitSummary {
      if (!repo.datasetName(input.datasetId))
        throw new AppError('NOT_FOUND', `no dataset ${input.datasetId}`);
      const { train, validation, test } = input.ratios;
      const name =
        input.name ?? `seed${input.seed}-${percent(train)}-${percent(validation)}-${percent(test)}`;
      const existing = cdb.get<SplitRow>(
        'split.byName',
        'SELECT * FROM splits WHERE dataset_id = ? AND name = ?',
        input.datasetId,
        name,
      );
      if (existing) return summary(existing, true);
      const task = repo.task(input.datasetId, input.task);
      const rows = cdb.all<{
        id: number;
        p: number | null;
        e: number | null;
        s: number | null;
        label: string | null;
      }>(
        'split.items',
        `SELECT i.id, i.patient_group_id AS p, i.exam_group_id AS e, i.source_group_id AS s,
           (SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
            WHERE l.image_id = i.id AND l.task_id = ? ORDER BY c.ordinal LIMIT 1) AS label
         FROM images i WHERE i.dataset_id = ? ORDER BY i.id`,
        task?.id ?? -1,
        input.datasetId,
      );
      const items = rows.map((r) => ({
        id: r.id,
        label: r.label,
        groups: [
          r.p === null ? null : `p${r.p}`,
          r.e === null ? null : `e${r.e}`,
          r.s === null ? null : `s${r.s}`,
        ].filter((g): g is string => g !== null),
      }));
      const assignment = buildSplit(items, input.ratios, input.seed);
      const splitId = cdb.transaction(() => {
        const id = Number(
          cdb.run(
            'split.insert',
            'INSERT INTO splits (dataset_id, name, task_id, seed, ratios, created_at) VALUES (?, ?, ?, ?, ?, ?)',
            input.datasetId,
            name,
            task?.id ?? null,
            input.seed,
            JSON.stringify({ train, validation, test }),
            repo.now(),
          ).lastInsertRowid,
        );
        for (const [imageId, part] of assignment) {
          cdb.run(
            'split.assign',
            'INSERT INTO split_assignments (split_id, image_id, part) VALUES (?, ?, ?)',
            id,
            imageId,
            part,
          );
        }
        return id;
      });
      return splits.get(splitId);
    },
    /** The part of each image in a split (for the trainer and for export). */
    assignments(splitId: number): Map<number, SplitPart> {
      return new Map(
        cdb
          .all<{ image_id: number; part: SplitPart }>(
            'split.assignments',
            'SELECT image_id, part FROM split_assignments WHERE split_id = ?',
            splitId,
          )
          .map((r) => [r.image_id, r.part]),
      );
    },
    stats(datasetId: number | undefined, taskName: string): DatasetStats[] {
      const datasets = cdb.all<{ id: number; name: string; images: number }>(
        'stats.datasets',
        `SELECT d.id, d.name, (SELECT count(*) FROM images i WHERE i.dataset_id = d.id) AS images
         FROM datasets d WHERE d.deleted_at IS NULL AND (? IS NULL OR d.id = ?) ORDER BY d.id`,
        datasetId ?? null,
        datasetId ?? null,
      );
      return datasets.map((d) => {
        const task = repo.task(d.id, taskName);
        const labels = task
          ? labelCounts(
              `SELECT c.name AS label, count(l.image_id) AS count FROM label_classes c
               LEFT JOIN image_labels l ON l.class_id = c.id WHERE c.task_id = ? GROUP BY c.id ORDER BY c.ordinal`,
              'stats.labels',
              task.id,
            )
          : [];
        const unlabeled = cdb.get<{ n: number }>(
          'stats.unlabeled',
          'SELECT count(*) AS n FROM images i WHERE i.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = i.id AND l.task_id = ?)',
          d.id,
          task?.id ?? -1,
        )!.n;
        const splitRows = cdb.all<SplitRow>(
          'split.list',
          'SELECT * FROM splits WHERE dataset_id = ? ORDER BY id',
          d.id,
        );
        return {
          id: d.id,
          name: d.name,
          images: d.images,
          unlabeled,
          labels,
          splits: splitRows.map((r) => {
            const { reused: _reused, ...rest } = summary(r, false);
            return rest;
          }),
          burnedIn: repo.burnedInCount(null, d.id),
          burnedInMask: repo.burnedInMask(d.id),
        };
      });
    },
  };
  return splits;
};

export type CatalogSplits = ReturnType<typeof createCatalogSplits>;
