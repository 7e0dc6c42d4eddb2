import { readFile, stat } from 'node:fs/promises';
import type { FrameChoice, ImportIssue } from '../../shared/contract/catalog';
import type { BurnedInHandling } from './burned-in-mask';
import type { CatalogDb } from './catalog-db';
import { sha256Hex } from './content-store';
import { decodeFile, type DecodedFile, type StoredCopyMode } from './image-decoder';
import type { ImportEntry } from './import-entry';
import { ImportFailure } from './import-failure';

/** Larger files are refused before they are read. */
export const MAX_FILE_BYTES = 2 * 1024 ** 3 - 1;

/** What reading one entry came to. */
export type EntryOutcome =
  | { kind: 'error'; issue: ImportIssue }
  | { kind: 'skipped' }
  | { kind: 'duplicate'; duplicateOf: string; existingId: number }
  | { kind: 'ready'; sha256: string; bytes: number; decoded: DecodedFile };

const issue = (entry: ImportEntry, code: ImportIssue['code'], reason: string): EntryOutcome => ({
  kind: 'error',
  issue: { file: entry.file, line: entry.line, code, reason },
});

/**
 * Reads, hashes and decodes one entry. A file whose hash is already in the dataset is not decoded
 * again: the same name means an earlier run imported it (skipped), another name means a duplicate.
 */
export const readEntry = async (
  entry: ImportEntry,
  ctx: {
    cdb: CatalogDb;
    datasetId: number;
    frames: FrameChoice;
    thumbnails: boolean;
    burnedIn?: BurnedInHandling;
    copy?: StoredCopyMode;
  },
): Promise<EntryOutcome> => {
  let bytes: Buffer;
  try {
    const info = await stat(entry.path);
    if (info.isDirectory()) return issue(entry, 'unreadable', 'is a folder, not a file');
    if (info.size === 0) return issue(entry, 'empty', 'empty file (0 bytes)');
    if (info.size > MAX_FILE_BYTES)
      return issue(entry, 'too-large', `file of ${info.size} bytes is over 2 GiB`);
    bytes = await readFile(entry.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return issue(entry, 'not-found', 'file not found');
    return issue(entry, 'unreadable', `cannot read the file (${code ?? 'error'})`);
  }
  const sha256 = sha256Hex(bytes);
  const existing = ctx.cdb.get<{ id: number; file: string }>(
    'import.existing',
    'SELECT id, file FROM images WHERE dataset_id = ? AND sha256 = ? ORDER BY frame LIMIT 1',
    ctx.datasetId,
    sha256,
  );
  if (existing) {
    return existing.file === entry.file
      ? { kind: 'skipped' }
      : { kind: 'duplicate', duplicateOf: existing.file, existingId: existing.id };
  }
  try {
    const decoded = await decodeFile(bytes, {
      frames: ctx.frames,
      thumbnails: ctx.thumbnails,
      burnedIn: ctx.burnedIn,
      copy: ctx.copy,
    });
    return { kind: 'ready', sha256, bytes: bytes.length, decoded };
  } catch (error) {
    if (error instanceof ImportFailure) return issue(entry, error.code, error.message);
    return issue(
      entry,
      'corrupt',
      `cannot decode: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
    );
  }
};

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export const mapLimited = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
