import {
  BurnedInMask,
  type AcceptedSuggestion,
  MAX_METADATA_KEY_CHARS,
  MAX_METADATA_VALUE_CHARS,
  MAX_NOTE_CHARS,
} from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import type { CatalogDb } from './catalog-db';
import { createPseudonyms, defaultSecretStore, type Pseudonyms } from './pseudonym-keys';

/** How a metadata cell is stored: numbers and dates also get a numeric column for range queries. */
export interface TypedValue {
  type: 'number' | 'category' | 'date';
  num: number | null;
  text: string;
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$/;

/** Infers the type of a metadata cell: number, ISO date, or category (everything else). */
export const typeValue = (raw: string): TypedValue => {
  const text = raw.trim();
  if (NUMBER.test(text) && Number.isFinite(Number(text))) return { type: 'number', num: Number(text), text };
  if (DATE.test(text) && !Number.isNaN(Date.parse(text)))
    return { type: 'date', num: Date.parse(text), text };
  return { type: 'category', num: null, text };
};

/** The catalog's own check of catalog-limits, whichever path the text came by. */
const withinLimit = (what: string, text: string, limit: number): void => {
  if (text.length > limit)
    throw new AppError(
      'INVALID_INPUT',
      `${what} of ${text.length.toLocaleString('en')} characters is over the limit of ${limit.toLocaleString('en')}`,
    );
};

export interface ImageRow {
  datasetId: number;
  sha256: string;
  frame: number;
  file: string;
  originalPath: string;
  storedPath: string | null;
  format: string;
  sourceFormat: string;
  width: number;
  height: number;
  bytes: number;
  patientGroupId: number | null;
  examGroupId: number | null;
  sourceGroupId: number | null;
  importJobId: number | null;
}

/**
 * Small, prepared, single-purpose reads and writes shared by the importer and the label/note
 * service. Callers wrap multi-row work in `db.transaction`.
 */
export const createRepository = (
  cdb: CatalogDb,
  now: () => string = () => new Date().toISOString(),
  pseudonyms: Pseudonyms = createPseudonyms(cdb, defaultSecretStore(cdb.path)),
) => {
  const repo = {
    now,
    pseudonyms,
    ensureDataset(name: string): number {
      cdb.run(
        'dataset.insert',
        'INSERT INTO datasets (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
        name,
        now(),
      );
      return cdb.get<{ id: number }>('dataset.byName', 'SELECT id FROM datasets WHERE name = ?', name)!.id;
    },
    datasetName(id: number): string | undefined {
      return cdb.get<{ name: string }>('dataset.name', 'SELECT name FROM datasets WHERE id = ?', id)?.name;
    },
    task(datasetId: number, name: string): { id: number; kind: 'single' | 'multi' } | undefined {
      return cdb.get(
        'task.byName',
        'SELECT id, kind FROM label_tasks WHERE dataset_id = ? AND name = ?',
        datasetId,
        name,
      );
    },
    ensureTask(
      datasetId: number,
      name: string,
      kind: 'single' | 'multi',
    ): { id: number; kind: 'single' | 'multi' } {
      cdb.run(
        'task.insert',
        'INSERT INTO label_tasks (dataset_id, name, kind, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        datasetId,
        name,
        kind,
        now(),
      );
      return repo.task(datasetId, name)!;
    },
    ensureClass(taskId: number, name: string, parentId: number | null = null): number {
      const found = cdb.get<{ id: number }>(
        'class.byName',
        'SELECT id FROM label_classes WHERE task_id = ? AND name = ?',
        taskId,
        name,
      );
      if (found) return found.id;
      return Number(
        cdb.run(
          'class.insert',
          `INSERT INTO label_classes (task_id, name, parent_id, ordinal)
           VALUES (?, ?, ?, (SELECT coalesce(max(ordinal), -1) + 1 FROM label_classes WHERE task_id = ?))`,
          taskId,
          name,
          parentId,
          taskId,
        ).lastInsertRowid,
      );
    },
    ensureGroup(datasetId: number, kind: 'patient' | 'exam' | 'source', key: string): number {
      cdb.run(
        'group.insert',
        'INSERT INTO groups (dataset_id, kind, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        datasetId,
        kind,
        key,
      );
      return cdb.get<{ id: number }>(
        'group.byKey',
        'SELECT id FROM groups WHERE dataset_id = ? AND kind = ? AND key = ?',
        datasetId,
        kind,
        key,
      )!.id;
    },
    findImage(datasetId: number, sha256: string, frame: number): { id: number; file: string } | undefined {
      return cdb.get(
        'image.byHash',
        'SELECT id, file FROM images WHERE dataset_id = ? AND sha256 = ? AND frame = ?',
        datasetId,
        sha256,
        frame,
      );
    },
    insertImage(row: ImageRow): number {
      return Number(
        cdb.run(
          'image.insert',
          `INSERT INTO images (dataset_id, sha256, frame, file, original_path, stored_path, format, source_format,
             width, height, bytes, patient_group_id, exam_group_id, source_group_id, import_job_id, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          row.datasetId,
          row.sha256,
          row.frame,
          row.file,
          row.originalPath,
          row.storedPath,
          row.format,
          row.sourceFormat,
          row.width,
          row.height,
          row.bytes,
          row.patientGroupId,
          row.examGroupId,
          row.sourceGroupId,
          row.importJobId,
          now(),
        ).lastInsertRowid,
      );
    },
    setMetadata(imageId: number, key: string, raw: string): void {
      withinLimit('a metadata key', key, MAX_METADATA_KEY_CHARS);
      withinLimit('a metadata value', raw, MAX_METADATA_VALUE_CHARS);
      const v = typeValue(raw);
      cdb.run(
        'metadata.upsert',
        `INSERT INTO image_metadata (image_id, key, type, num, text) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (image_id, key) DO UPDATE SET type = excluded.type, num = excluded.num, text = excluded.text`,
        imageId,
        key,
        v.type,
        v.num,
        v.text,
      );
    },
    note(imageId: number): string | null {
      return (
        cdb.get<{ text: string }>('note.get', 'SELECT text FROM notes WHERE image_id = ?', imageId)?.text ??
        null
      );
    },
    writeNote(imageId: number, text: string | null, user: string): void {
      if (text) withinLimit('a note', text, MAX_NOTE_CHARS);
      if (text === null || text === '')
        cdb.run('note.delete', 'DELETE FROM notes WHERE image_id = ?', imageId);
      else
        cdb.run(
          'note.upsert',
          `INSERT INTO notes (image_id, text, updated_at, updated_by) VALUES (?, ?, ?, ?)
           ON CONFLICT (image_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          imageId,
          text,
          now(),
          user,
        );
    },
    /** The review flag of an image, or null when it has none. */
    flag(imageId: number): { reason: string; user: string; at: string } | null {
      return (
        cdb.get<{ reason: string; user: string; at: string }>(
          'flag.get',
          'SELECT reason, flagged_by AS user, flagged_at AS at FROM image_flags WHERE image_id = ?',
          imageId,
        ) ?? null
      );
    },
    /** Sets (reason) or clears (null) the review flag of an image. */
    writeFlag(imageId: number, reason: string | null, user: string): void {
      if (reason === null) cdb.run('flag.delete', 'DELETE FROM image_flags WHERE image_id = ?', imageId);
      else
        cdb.run(
          'flag.upsert',
          `INSERT INTO image_flags (image_id, reason, flagged_by, flagged_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (image_id) DO UPDATE SET reason = excluded.reason, flagged_by = excluded.flagged_by, flagged_at = excluded.flagged_at`,
          imageId,
          reason,
          user,
          now(),
        );
    },
    labels(imageId: number, taskId: number): string[] {
      return cdb
        .all<{ name: string }>(
          'labels.ofImage',
          `SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
           WHERE l.image_id = ? AND l.task_id = ? ORDER BY c.ordinal`,
          imageId,
          taskId,
        )
        .map((r) => r.name);
    },
    writeLabels(imageId: number, taskId: number, classes: string[]): void {
      cdb.run('labels.clear', 'DELETE FROM image_labels WHERE image_id = ? AND task_id = ?', imageId, taskId);
      for (const name of classes) {
        cdb.run(
          'labels.insert',
          'INSERT OR IGNORE INTO image_labels (image_id, task_id, class_id) VALUES (?, ?, ?)',
          imageId,
          taskId,
          repo.ensureClass(taskId, name),
        );
      }
    },
    nextBatchId(): number {
      return cdb.get<{ next: number }>(
        'history.nextBatch',
        'SELECT coalesce(max(batch_id), 0) + 1 AS next FROM history',
      )!.next;
    },
    appendHistory(entry: {
      batchId: number;
      imageId: number;
      kind: 'label' | 'note' | 'flag';
      taskId: number | null;
      from: unknown;
      to: unknown;
      user: string;
      reason: string;
      origin: 'import' | 'edit' | 'undo';
      undoesBatch?: number | null;
      /** An accepted assistant suggestion (label rows only). */
      suggestion?: AcceptedSuggestion | null;
      /** A reviewer's adjudication of a multi-rater image (label rows only). */
      adjudication?: boolean;
    }): void {
      cdb.run(
        'history.insert',
        `INSERT INTO history (batch_id, image_id, kind, task_id, from_value, to_value, user, reason, origin, undoes_batch, at, suggestion_model, suggestion_p, adjudication)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        entry.batchId,
        entry.imageId,
        entry.kind,
        entry.taskId,
        JSON.stringify(entry.from ?? null),
        JSON.stringify(entry.to ?? null),
        entry.user,
        entry.reason,
        entry.origin,
        entry.undoesBatch ?? null,
        now(),
        entry.suggestion?.modelId ?? null,
        entry.suggestion?.p ?? null,
        entry.adjudication ? 1 : 0,
      );
    },
    /**
     * The group key of a patient/exam/series id: its 128-bit keyed pseudonym, or the 48-bit one an
     * older SonoFuse gave the same id when this dataset already has that group (the same patient
     * must stay one group, or a split could put them on both sides).
     */
    pseudonymGroupKey(
      datasetId: number,
      kind: 'patient' | 'exam' | 'source',
      prefix: string,
      value: string,
    ): string {
      const id = pseudonyms.pseudonym(prefix, value);
      const legacy = pseudonyms.legacyOf(id);
      const found =
        legacy !== null &&
        cdb.get(
          'group.byKey',
          'SELECT id FROM groups WHERE dataset_id = ? AND kind = ? AND key = ?',
          datasetId,
          kind,
          legacy,
        );
      return found ? legacy! : id;
    },
    /** Records that an image's file declares burned-in annotation (1 warned, 2 masked before storing). */
    markBurnedIn(imageId: number, state: number): void {
      cdb.run('image.burnedIn', 'UPDATE images SET burned_in = ? WHERE id = ?', state, imageId);
    },
    /** Images written by one import (or one dataset) that declare burned-in annotation, and how many were masked. */
    burnedInCount(importJobId: number | null, datasetId?: number): { images: number; masked: number } {
      const row = cdb.get<{ images: number; masked: number | null }>(
        importJobId === null ? 'burnedIn.ofDataset' : 'burnedIn.ofImport',
        `SELECT count(*) AS images, sum(burned_in = 2) AS masked FROM images
         WHERE ${importJobId === null ? 'dataset_id' : 'import_job_id'} = ? AND burned_in > 0`,
        importJobId ?? datasetId,
      )!;
      return { images: row.images, masked: row.masked ?? 0 };
    },
    /** The dataset's masking rectangle for burned-in annotation, if one was set. */
    burnedInMask(datasetId: number): BurnedInMask | null {
      const row = cdb.get<{ mask: string | null }>(
        'dataset.mask',
        'SELECT burned_in_mask AS mask FROM datasets WHERE id = ?',
        datasetId,
      );
      return row?.mask ? BurnedInMask.parse(JSON.parse(row.mask)) : null;
    },
    setBurnedInMask(datasetId: number, mask: BurnedInMask | null): void {
      cdb.run(
        'dataset.setMask',
        'UPDATE datasets SET burned_in_mask = ? WHERE id = ?',
        mask ? JSON.stringify(mask) : null,
        datasetId,
      );
    },
  };
  return repo;
};

export type Repository = ReturnType<typeof createRepository>;
