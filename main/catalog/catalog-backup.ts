import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/result';
import { restrictFile, touchPrivate } from '../security/private-files';

/** What a backup must never be written onto, and what each one is (for the error message). */
export interface ProtectedFile {
  path: string;
  what: string;
}

const CATALOG_FILE = 'catalog.db';
const SIDE_FILES = ['', '-wal', '-shm'] as const;

/**
 * Every file a backup must not replace: the source catalog with its -wal/-shm, and every
 * workspace's `catalog.db` (with -wal/-shm) under each of `workspaceRoots` (the data folder holds
 * one folder per workspace).
 */
export const protectedCatalogFiles = (
  sourcePath: string,
  workspaceRoots: readonly string[],
): ProtectedFile[] => {
  const out: ProtectedFile[] = SIDE_FILES.map((s) => ({
    path: resolve(`${sourcePath}${s}`),
    what: `the catalog being backed up${s && ` (its ${s.slice(1)} file)`}`,
  }));
  for (const root of workspaceRoots) {
    let names: string[];
    try {
      names = readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory() || d.isSymbolicLink())
        .map((d) => d.name);
    } catch {
      continue; // no data folder yet: nothing to protect there
    }
    for (const name of names) {
      for (const s of SIDE_FILES) {
        out.push({
          path: resolve(root, name, `${CATALOG_FILE}${s}`),
          what: `the catalog of workspace "${name}"${s && ` (its ${s.slice(1)} file)`}`,
        });
      }
    }
  }
  return out;
};

/** The path with every symbolic link resolved; for a missing file, its folder's. */
const canonical = (path: string): string | null => {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return null;
    }
  }
};

const statOrNull = (path: string): Stats | null => {
  try {
    return statSync(path);
  } catch {
    return null;
  }
};

/**
 * Refuses (CONFLICT) a backup target that is, by path, symbolic link or hard link (same device and
 * inode), any of the `protectedFiles`; refuses (INVALID_INPUT) a target whose folder is missing or
 * that is a folder. Returns the path to write.
 */
export const checkBackupTarget = (target: string, protectedFiles: readonly ProtectedFile[]): string => {
  const path = resolve(target);
  const real = canonical(path);
  if (real === null) throw new AppError('INVALID_INPUT', 'cannot back up there: its folder does not exist');
  const info = statOrNull(path);
  if (info?.isDirectory()) throw new AppError('INVALID_INPUT', 'cannot back up there: it is a folder');
  for (const file of protectedFiles) {
    const other = statOrNull(file.path);
    const sameInode = info !== null && other !== null && info.dev === other.dev && info.ino === other.ino;
    if (sameInode || canonical(file.path) === real) {
      throw new AppError('CONFLICT', `refusing to back up onto ${file.what}; choose another file`);
    }
  }
  return path;
};

/**
 * Online backup through SQLite's backup API (consistent while imports write) into a 0600 temporary
 * file beside the target, renamed over it when complete: a crash leaves the old file or the new one.
 */
export const backupCatalog = async (
  db: Database.Database,
  target: string,
  protectedFiles: readonly ProtectedFile[],
): Promise<{ path: string; bytes: number }> => {
  const path = checkBackupTarget(target, protectedFiles);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  try {
    touchPrivate(temporary);
    await db.backup(temporary);
    restrictFile(temporary);
    renameSync(temporary, path);
  } finally {
    if (existsSync(temporary)) rmSync(temporary, { force: true });
  }
  return { path, bytes: statSync(path).size };
};
