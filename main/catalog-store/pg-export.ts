import { AppError } from '../../shared/contract/result';
import {
  writeDatasetExport,
  type ExportRow,
  type MetadataRow,
  type SourceRow,
} from '../catalog/catalog-export';
import type { ExportInput } from './catalog-store';
import type { PgQuery } from './pg-pool';

/**
 * `catalog:export` on PostgreSQL: the rows read with the SQLite export's semantics (labels of the
 * task joined with `;` in class order, the split part, and each label's source: the newest label
 * history row that is not an undo and was not undone), written by the same writer (same columns).
 */
export const pgExportDataset = async (
  query: PgQuery,
  input: ExportInput,
): Promise<{ path: string; rows: number }> => {
  if ((await query('SELECT 1 FROM datasets WHERE id = $1', [input.datasetId])).length === 0)
    throw new AppError('NOT_FOUND', `no dataset ${input.datasetId}`);
  const rows = (
    await query<ExportRow>(
      `SELECT i.id, i.file, i.frame, i.sha256, pg.key AS patient, eg.key AS exam, sg.key AS source, n.text AS note, sa.part,
         (SELECT string_agg(c.name, ';' ORDER BY c.ordinal) FROM image_labels l JOIN label_classes c ON c.id = l.class_id
           JOIN label_tasks t ON t.id = l.task_id WHERE l.image_id = i.id AND t.name = $1) AS labels
       FROM images i
       LEFT JOIN groups pg ON pg.id = i.patient_group_id
       LEFT JOIN groups eg ON eg.id = i.exam_group_id
       LEFT JOIN groups sg ON sg.id = i.source_group_id
       LEFT JOIN notes n ON n.image_id = i.id
       LEFT JOIN split_assignments sa ON sa.split_id = $2 AND sa.image_id = i.id
       WHERE i.dataset_id = $3 ORDER BY i.id`,
      [input.task, input.splitId ?? -1, input.datasetId],
    )
  ).map((r) => ({ ...r, id: Number(r.id) }));
  const metadataRows = (
    await query<MetadataRow>(
      `SELECT m.image_id, m.key, m.type, m.num, m.text FROM image_metadata m JOIN images i ON i.id = m.image_id
       WHERE i.dataset_id = $1`,
      [input.datasetId],
    )
  ).map((m) => ({ ...m, image_id: Number(m.image_id) }));
  const sources = await query<SourceRow>(
    `SELECT h.image_id, h.origin, h.suggestion_model, h.suggestion_p FROM history h
     WHERE h.id IN (
       SELECT max(h2.id) FROM history h2 JOIN images i ON i.id = h2.image_id
       WHERE i.dataset_id = $1 AND h2.kind = 'label' AND h2.origin <> 'undo'
         AND h2.task_id = (SELECT id FROM label_tasks WHERE dataset_id = $1 AND name = $2)
         AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes_batch = h2.batch_id)
       GROUP BY h2.image_id)`,
    [input.datasetId, input.task],
  );
  return writeDatasetExport(input, rows, metadataRows, new Map(sources.map((s) => [Number(s.image_id), s])));
};
