import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPostgresUrl, urlSecrets } from './workspace-location';

/** A department workspace: the shared PostgreSQL catalog and the shared image store folder. */
export interface DepartmentWorkspace {
  url: string;
  storeDir: string;
}

/** Why department options were refused; the message never holds the URL's password. */
export class DepartmentWorkspaceError extends Error {
  override name = 'DepartmentWorkspaceError';
}

/**
 * The department workspace given by a catalog URL and the shared image store folder (`store`, else
 * SONOFUSE_STORE), or undefined when no URL is given (the local SQLite catalog). One check for
 * every entry point (`sonofuse start`, the Electron shell): the URL must be postgres:// and the
 * store an existing folder (a mounted share).
 */
export const departmentWorkspaceOf = (
  db: string | undefined,
  store: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DepartmentWorkspace | undefined => {
  if (db === undefined || db === '') return undefined;
  if (!isPostgresUrl(db))
    throw new DepartmentWorkspaceError('--db takes a postgres:// URL (a shared department catalog)');
  const dir = store ?? env.SONOFUSE_STORE;
  if (!dir)
    throw new DepartmentWorkspaceError(
      'a postgres:// catalog needs the shared image store: --store DIR (or SONOFUSE_STORE)',
    );
  const storeDir = resolve(dir);
  if (!existsSync(storeDir) || !statSync(storeDir).isDirectory())
    throw new DepartmentWorkspaceError(
      `the shared image store ${storeDir} is not a folder (is the share mounted?)`,
    );
  return { url: db, storeDir };
};

/**
 * The desktop shell's department options: the `--db`/`--store` switches, else the SONOFUSE_DB /
 * SONOFUSE_STORE environment (what `sonofuse start --db` hands the Electron process, so the URL
 * never shows in its process title). A switch URL that carries a password is refused: command
 * lines are readable by every local user (put it in ~/.pgpass or PGPASSWORD instead).
 */
export const departmentFromSwitches = (
  switchValue: (name: 'db' | 'store') => string,
  env: NodeJS.ProcessEnv = process.env,
): DepartmentWorkspace | undefined => {
  const switchDb = switchValue('db');
  if (switchDb && urlSecrets(switchDb).length > 0)
    throw new DepartmentWorkspaceError(
      '--db must not carry a password on the command line: use ~/.pgpass or PGPASSWORD (or SONOFUSE_DB)',
    );
  return departmentWorkspaceOf(switchDb || env.SONOFUSE_DB, switchValue('store') || undefined, env);
};
