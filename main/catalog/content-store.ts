import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE, mkdirPrivate } from '../security/private-files';

/**
 * The managed store next to a catalog: image copies and thumbnails under content-addressed names
 * (`ab/abcdef….png`), so the same bytes are stored once however often they are imported. A plain
 * image's copy is named by the SHA-256 of the stored bytes (the file without its embedded
 * metadata, or the original with `keepOriginalBytes`), while `images.sha256` is the hash of the
 * source file as read (duplicate detection, resume); DICOM frames and thumbnails are named by
 * the source file's hash and frame. Files are
 * written to a temporary name and renamed, so a crash never leaves a half-written file under a
 * real name. Folders are created 0700 and files 0600: the store holds patient images.
 */
export interface ContentStore {
  readonly root: string;
  /** Store-relative path of an original (or, for DICOM, a decoded frame). */
  imagePath(sha256: string, frame: number, ext: string): string;
  /** Store-relative path of the 256 px WebP thumbnail. */
  thumbnailPath(sha256: string, frame: number): string;
  /**
   * Store-relative path of the copy shown for an original referenced in place: that file without
   * its embedded metadata, made on first view (named by the original's hash).
   */
  viewCopyPath(sha256: string, ext: string): string;
  /** Writes `bytes` under `relative` unless it is already there. */
  put(relative: string, bytes: Uint8Array): void;
  has(relative: string): boolean;
  absolute(relative: string): string;
  /**
   * Deletes the temporary files of unfinished writes (left by a killed process) and returns how
   * many there were. Only safe while no import writes to this store.
   */
  removeTemporaryFiles(): number;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const frameSuffix = (frame: number): string => (frame > 0 ? `-f${frame}` : '');

export const createContentStore = (root: string): ContentStore => {
  const tmp = join(root, '.tmp');
  const absolute = (relative: string): string => join(root, relative);
  return {
    root,
    imagePath: (sha, frame, ext) => join('images', sha.slice(0, 2), `${sha}${frameSuffix(frame)}.${ext}`),
    thumbnailPath: (sha, frame) => join('thumbs', sha.slice(0, 2), `${sha}${frameSuffix(frame)}.webp`),
    viewCopyPath: (sha, ext) => join('view', sha.slice(0, 2), `${sha}.${ext}`),
    has: (relative) => existsSync(absolute(relative)),
    absolute,
    removeTemporaryFiles() {
      if (!existsSync(tmp)) return 0;
      const names = readdirSync(tmp);
      for (const name of names) rmSync(join(tmp, name), { recursive: true, force: true });
      return names.length;
    },
    put(relative, bytes) {
      const target = absolute(relative);
      if (existsSync(target)) return;
      mkdirPrivate(join(target, '..'));
      mkdirPrivate(tmp);
      const temporary = join(tmp, `${randomBytes(8).toString('hex')}.part`);
      try {
        writeFileSync(temporary, bytes, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
        renameSync(temporary, target);
      } finally {
        rmSync(temporary, { force: true });
      }
    },
  };
};
