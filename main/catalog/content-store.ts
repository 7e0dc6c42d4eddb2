import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The managed store next to a catalog: image copies and thumbnails under content-addressed names
 * (`ab/abcdef….png`), so the same bytes are stored once however often they are imported. Files are
 * written to a temporary name and renamed, so a crash never leaves a half-written file under a
 * real name.
 */
export interface ContentStore {
  readonly root: string;
  /** Store-relative path of an original (or, for DICOM, a decoded frame). */
  imagePath(sha256: string, frame: number, ext: string): string;
  /** Store-relative path of the 256 px WebP thumbnail. */
  thumbnailPath(sha256: string, frame: number): string;
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
      mkdirSync(join(target, '..'), { recursive: true });
      mkdirSync(tmp, { recursive: true });
      const temporary = join(tmp, `${randomBytes(8).toString('hex')}.part`);
      try {
        writeFileSync(temporary, bytes);
        renameSync(temporary, target);
      } finally {
        rmSync(temporary, { force: true });
      }
    },
  };
};
