import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Owner-only permissions for everything SonoFuse writes that may hold patient data (catalog
 * database and its -wal/-shm, image store, thumbnails, run folders, exports, backups). The process
 * umask ({@link restrictUmask}) covers files created anywhere; these helpers set the mode
 * explicitly too, so a file is private even where the umask was not set (tests, embedders).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** The umask the CLI and the desktop app run with: nothing for group or others. */
export const PRIVATE_UMASK = 0o077;

/**
 * Sets the process umask to {@link PRIVATE_UMASK} and returns the previous one. Call it once at an
 * entry point (CLI, Electron main); worker threads cannot change it and inherit the process's.
 */
export const restrictUmask = (): number => process.umask(PRIVATE_UMASK);

/**
 * Creates `path` and any missing parents as 0700. Folders that already exist keep their mode: a
 * user's own folder (`--db ~/x.db` lives in `~`) is never changed.
 */
export const mkdirPrivate = (path: string): void => {
  const first = mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode is filtered by the umask, which can only remove bits: 0700 stays 0700 or less.
  if (first !== undefined) chmodSync(path, PRIVATE_DIR_MODE);
};

/** Makes `path` owner-only (0600); best effort on files another user owns (EPERM is ignored). */
export const restrictFile = (path: string): void => {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOENT') throw error;
  }
};

/** Writes a file created as 0600 (and made 0600 if it existed with a wider mode). */
export const writeFilePrivate = (path: string, data: string | Uint8Array): void => {
  writeFileSync(path, data, { mode: PRIVATE_FILE_MODE });
  restrictFile(path);
};

/**
 * Creates an empty 0600 file unless one exists (an existing one is left alone, even read-only),
 * so a library that then opens it by name (SQLite) never makes it world-readable first.
 */
export const touchPrivate = (path: string): void => {
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
};

/**
 * Makes a whole tree owner-only (folders 0700, files 0600), for data an older SonoFuse wrote
 * world-readable. Symbolic links are neither followed nor changed. Returns what it visited.
 */
export const restrictTree = (root: string): { folders: number; files: number } => {
  const count = { folders: 0, files: 0 };
  const walk = (dir: string): void => {
    chmodSync(dir, PRIVATE_DIR_MODE);
    count.folders++;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        restrictFile(path);
        count.files++;
      }
    }
  };
  try {
    walk(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return count;
};
