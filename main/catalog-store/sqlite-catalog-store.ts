import { AppError } from '../../shared/contract/result';
import type { CatalogService } from '../catalog/catalog-service';
import { createRepository } from '../catalog/catalog-repository';
import { definedClass, type CatalogStore, type NewImage, type SnapshotRow } from './catalog-store';
import { raterSnapshotRows } from './rater-store';
import { createSqliteRaterStore } from './sqlite-rater-store';

/**
 * The CatalogStore over one workstation's SQLite catalog: an adapter over today's synchronous
 * service (same code paths as the `catalog:*` handlers), answering with settled promises.
 * The user is the name recorded for the workstation; the role is a catalog setting.
 */
export const createSqliteCatalogStore = (catalog: CatalogService): CatalogStore => {
  const cdb = () => catalog.db();
  const userName = (): string => catalog.settings().userName ?? 'unknown';
  const taskId = (datasetId: number, task: string): number | null =>
    cdb().get<{ id: number }>(
      'store.taskId',
      'SELECT id FROM label_tasks WHERE dataset_id = ? AND name = ?',
      datasetId,
      task,
    )?.id ?? null;
  const raters = createSqliteRaterStore(catalog);
  const store: CatalogStore = {
    engine: 'sqlite',
    location: catalog.dbPath,
    raters,
    jobs: {
      create: async (input) => catalog.createLabelJob({ ...input, user: userName() }),
      list: async (input) => catalog.labelJobs(input),
      queue: async (jobId, limit) => catalog.labelJobQueue(jobId, limit),
    },
    currentUser: async () => userName(),
    isReviewer: async () =>
      cdb().get<{ value: string }>('store.role', `SELECT value FROM settings WHERE key = 'rater.role'`)
        ?.value === 'reviewer',
    datasets: async () => catalog.datasets(),
    renameDataset: async (input) => catalog.renameDataset({ ...input, user: userName() }),
    async deleteDataset(input) {
      // As on a shared catalog: only a reviewer (here the workstation's role setting) deletes.
      if (!(await store.isReviewer())) throw new AppError('FORBIDDEN', 'only a reviewer deletes a dataset');
      return catalog.deleteDataset({ ...input, user: userName() });
    },
    ensureDataset: async (name) => createRepository(cdb()).ensureDataset(name),
    tasks: async (datasetId) => catalog.tasks(datasetId),
    defineTask: async (input) => catalog.defineTask({ ...input, classes: input.classes.map(definedClass) }),
    editTask: async (input) => catalog.editTask({ ...input, user: userName() }),
    taskHistory: async (datasetId, task, limit) => catalog.taskHistory(datasetId, task, limit),
    images: async (q) => catalog.images(q),
    image: async (id, task) => catalog.image(id, task),
    storedPath: async (id) => {
      const row = cdb().get<{ p: string | null }>(
        'store.storedPath',
        'SELECT stored_path AS p FROM images WHERE id = ?',
        id,
      );
      if (!row) throw new AppError('NOT_FOUND', `no image ${id}`);
      return row.p;
    },
    setLabels: async (input) => catalog.setLabels(input),
    bulkRelabel: async (input) => catalog.bulkRelabel(input),
    undo: async ({ batchId, mine }) => catalog.undo(mine ? userName() : undefined, userName(), batchId),
    setNote: async (input) => catalog.setNote(input),
    setFlag: async (input) => catalog.setFlag(input),
    history: async (imageId, limit) => catalog.history(imageId, limit),
    stats: async (datasetId, task) => catalog.stats(datasetId, task),
    splits: async (datasetId) => catalog.splits(datasetId),
    createSplit: async (input) => catalog.createSplit(input),
    exportDataset: async (input) => catalog.export(input),
    splitAssignments: async (splitId) => catalog.splitAssignments(splitId),
    async addImages(rows: NewImage[]) {
      const db = cdb();
      const repo = createRepository(db);
      return db.transaction(() => {
        const inserted: number[] = [];
        let duplicates = 0;
        const batchId = repo.nextBatchId();
        for (const r of rows) {
          if (repo.findImage(r.datasetId, r.sha256, r.frame)) {
            duplicates++;
            continue;
          }
          const group = (kind: 'patient' | 'exam' | 'source', key: string | null | undefined) =>
            key ? repo.ensureGroup(r.datasetId, kind, key) : null;
          const id = repo.insertImage({
            ...r,
            patientGroupId: group('patient', r.patient),
            examGroupId: group('exam', r.exam),
            sourceGroupId: group('source', r.source),
            importJobId: r.importJobId ?? null,
          });
          inserted.push(id);
          for (const [key, raw] of Object.entries(r.metadata ?? {})) repo.setMetadata(id, key, raw);
          if (r.note) repo.writeNote(id, r.note, r.user);
          for (const [task, labels] of Object.entries(r.labels ?? {})) {
            const t =
              repo.task(r.datasetId, task) ??
              (task === 'label' ? repo.ensureTask(r.datasetId, 'label', 'single') : undefined);
            if (!t) throw new AppError('NOT_FOUND', `no label task "${task}"`);
            repo.writeLabels(id, t.id, labels);
            repo.appendHistory({
              batchId,
              imageId: id,
              kind: 'label',
              taskId: t.id,
              from: [],
              to: labels,
              user: r.user,
              reason: '',
              origin: 'import',
            });
          }
        }
        return { inserted, duplicates };
      });
    },
    async snapshotRows(q) {
      const task = taskId(q.datasetId, q.task) ?? -1;
      const rows = cdb().all<Omit<SnapshotRow, 'metadata' | 'storedPath'> & { stored_path: string | null }>(
        'store.snapshotRows',
        `SELECT i.id, i.sha256, i.stored_path, i.frame, i.file, i.format, i.width, i.height, i.bytes,
           (SELECT key FROM groups WHERE id = i.patient_group_id) AS patient,
           (SELECT key FROM groups WHERE id = i.exam_group_id) AS exam,
           (SELECT key FROM groups WHERE id = i.source_group_id) AS source,
           (SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
            WHERE l.image_id = i.id AND l.task_id = ? ORDER BY c.ordinal LIMIT 1) AS label,
           (SELECT a.part FROM split_assignments a WHERE a.split_id = ? AND a.image_id = i.id) AS part,
           (SELECT n.text FROM notes n WHERE n.image_id = i.id) AS note
         FROM images i WHERE i.dataset_id = ? ORDER BY i.id`,
        task,
        q.splitId ?? -1,
        q.datasetId,
      );
      const meta = new Map<number, SnapshotRow['metadata']>();
      for (const m of cdb().all<{
        image_id: number;
        key: string;
        type: 'number' | 'category' | 'date';
        num: number | null;
        text: string;
      }>(
        'store.snapshotMetadata',
        `SELECT m.image_id, m.key, m.type, m.num, m.text FROM image_metadata m JOIN images i ON i.id = m.image_id WHERE i.dataset_id = ?`,
        q.datasetId,
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
    onChanged: (listener) => catalog.onChanged(listener),
    close: async () => catalog.close(),
  };
  // A multi-rater task's run rows carry the decided label, else the raters' majority.
  return { ...store, snapshotRows: raterSnapshotRows(store, raters) };
};
