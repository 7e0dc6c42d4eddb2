import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import sharp from 'sharp';
import type { ImageDetail, MetadataValue } from '../../shared/contract/catalog';
import { detailFacts, metadataValue, type DetailRow } from './catalog-rows';
import { AppError } from '../../shared/contract/result';
import type { CatalogDb } from './catalog-db';
import type { CatalogEdits } from './catalog-edits';
import type { Repository } from './catalog-repository';
import { sha256Hex, type ContentStore } from './content-store';
import { MAX_PIXELS, renderThumbnail } from './image-decoder';
import { storedCopyOf } from './image-metadata-strip';

/** Single-image reads: the detail view, and file paths for the image protocol (full image, thumbnail). */
export const createCatalogImages = (
  cdb: CatalogDb,
  store: ContentStore,
  edits: CatalogEdits,
  repo: Repository,
) => {
  /** The version of the image's label state in the named task, and its last writer. */
  const labelState = (id: number, task: string) => {
    const v = cdb.get<{ version: number; by_user: string; at: string }>(
      'image.labelVersion',
      `SELECT v.version, v.by_user, v.at FROM label_versions v JOIN label_tasks t ON t.id = v.task_id
       WHERE v.image_id = ? AND t.name = ?`,
      id,
      task,
    );
    return { labelVersion: v?.version ?? 0, labelledBy: v?.by_user ?? null, labelledAt: v?.at ?? null };
  };
  const row = (id: number): DetailRow => {
    const found = cdb.get<DetailRow>(
      'image.detail',
      `SELECT i.*, pg.key AS patient, eg.key AS exam, sg.key AS source, n.text AS note FROM images i
       LEFT JOIN groups pg ON pg.id = i.patient_group_id
       LEFT JOIN groups eg ON eg.id = i.exam_group_id
       LEFT JOIN groups sg ON sg.id = i.source_group_id
       LEFT JOIN notes n ON n.image_id = i.id WHERE i.id = ?`,
      id,
    );
    if (!found) throw new AppError('NOT_FOUND', `no image ${id}`);
    return found;
  };
  /**
   * The bytes of an original referenced in place, when it is still a regular file (not a symbolic
   * link, folder or device put in its place) with the hash it was imported with; else NOT_FOUND.
   */
  const verifiedOriginal = (r: DetailRow): Buffer => {
    const gone = (why: string): never => {
      throw new AppError('NOT_FOUND', `image ${r.id} ${why}; import it again`);
    };
    let bytes: Buffer | null = null;
    try {
      if (lstatSync(r.original_path).isFile()) bytes = readFileSync(r.original_path);
    } catch {
      gone('is no longer on disk');
    }
    if (bytes === null) return gone('is no longer a regular file');
    if (sha256Hex(bytes) !== r.sha256) gone('changed on disk since it was imported');
    return bytes;
  };
  const images = {
    /** The image with `task`'s labels; its history holds that task's label changes, notes and flags. */
    detail(id: number, task: string): ImageDetail {
      const r = row(id);
      const metadata = cdb
        .all<{ key: string; type: MetadataValue['type']; num: number | null; text: string }>(
          'image.metadata',
          'SELECT key, type, num, text FROM image_metadata WHERE image_id = ? ORDER BY key',
          id,
        )
        .map(metadataValue);
      const labels = cdb
        .all<{ name: string }>(
          'image.labels',
          `SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id JOIN label_tasks t ON t.id = l.task_id
           WHERE l.image_id = ? AND t.name = ? ORDER BY c.ordinal`,
          id,
          task,
        )
        .map((l) => l.name);
      return {
        ...detailFacts(r),
        labels,
        metadata,
        history: edits.history(id, 1000).filter((h) => h.kind !== 'label' || h.task === task),
        flag: repo.flag(id),
        ...labelState(id, task),
      };
    },
    /** Absolute path of the viewable file: the managed copy, or the original when referenced in place. */
    filePath(id: number): string {
      const r = row(id);
      return r.stored_path === null ? r.original_path : store.absolute(r.stored_path);
    },
    /**
     * Absolute path of the file to show a person: the stored copy, or for an original referenced
     * in place a copy without its embedded metadata, made on first view from the original after
     * checking that it is still a regular file with the imported hash (NOT_FOUND otherwise).
     */
    async viewPath(id: number): Promise<string> {
      const r = row(id);
      if (r.stored_path !== null) return store.absolute(r.stored_path);
      const ext = r.format === 'jpeg' ? 'jpg' : r.format;
      for (const candidate of [ext, 'png']) {
        const cached = store.viewCopyPath(r.sha256, candidate);
        if (store.has(cached)) return store.absolute(cached);
      }
      const bytes = verifiedOriginal(r);
      const copy = await storedCopyOf(bytes, r.format, false, () =>
        sharp(bytes, { limitInputPixels: MAX_PIXELS }).png({ compressionLevel: 6 }).toBuffer(),
      );
      const relative = store.viewCopyPath(r.sha256, copy.ext);
      store.put(relative, copy.bytes);
      return store.absolute(relative);
    },
    /** Absolute path of the cached 256 px WebP thumbnail, made now if the cache lacks it. */
    async thumbnailPath(id: number): Promise<string> {
      const r = row(id);
      // Named like the stored copy (which may differ from the source file: stripped, masked).
      const named =
        r.stored_path === null ? r.sha256 : basename(r.stored_path).replace(/(-f\d+)?\.[^.]+$/, '');
      const relative = store.thumbnailPath(named, r.frame);
      if (!store.has(relative)) {
        let bytes: Buffer;
        if (r.stored_path === null) bytes = verifiedOriginal(r);
        else {
          const path = store.absolute(r.stored_path);
          if (!existsSync(path)) throw new AppError('NOT_FOUND', `image ${id} is no longer on disk`);
          bytes = readFileSync(path);
        }
        store.put(relative, await renderThumbnail(bytes));
      }
      return store.absolute(relative);
    },
  };
  return images;
};
