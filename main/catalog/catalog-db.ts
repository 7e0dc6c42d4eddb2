import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { mkdirPrivate, restrictFile, touchPrivate } from '../security/private-files';
import type { Logger } from '../core/logger';
import { migrations as allMigrations, type Migration } from './migrations/index';

/**
 * An open catalog database plus a cache of prepared statements that times every execution. A
 * statement slower than `slowQueryMs` is logged under its *name* (never its SQL parameters, which
 * may hold note text or patient keys), so the log stays free of patient data.
 */
export interface CatalogDb {
  readonly db: Database.Database;
  readonly path: string;
  /** The file existed readable or writable by group or others (an older SonoFuse's): now 0600. */
  readonly wasLoose: boolean;
  /** Prepares (once) and runs a write statement. */
  run(name: string, sql: string, ...params: unknown[]): Database.RunResult;
  get<T>(name: string, sql: string, ...params: unknown[]): T | undefined;
  all<T>(name: string, sql: string, ...params: unknown[]): T[];
  /** Runs `fn` in one IMMEDIATE transaction: all of its writes land, or none do. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenCatalogOptions {
  path: string;
  logger?: Logger;
  /** Statements slower than this are logged at `warn` (default 50 ms). */
  slowQueryMs?: number;
  /** For the upgrade test: apply only these migrations. */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/**
 * Applies every migration newer than the database's `user_version`, each in its own transaction.
 * Refuses a database written by a newer SonoFuse rather than guessing at its schema.
 */
export const migrate = (db: Database.Database, list: readonly Migration[] = allMigrations): number => {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`catalog schema ${current} is newer than this SonoFuse understands (${latest})`);
  }
  for (const migration of list) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
};

/**
 * Opens (creating if needed) a catalog: WAL, foreign keys on, migrations applied. A writable
 * catalog is owner-only: its folder is created 0700, the file 0600 before SQLite first opens it
 * (SQLite gives the -wal and -shm files the database file's mode), and an older world-readable
 * catalog with its -wal/-shm is tightened to 0600 on open.
 */
export const openCatalogDb = (options: OpenCatalogOptions): CatalogDb => {
  const onDisk = !options.readonly && options.path !== ':memory:' && options.path !== '';
  let wasLoose = false;
  if (onDisk) {
    try {
      wasLoose = (statSync(options.path).mode & 0o077) !== 0;
    } catch {
      // a new catalog
    }
    mkdirPrivate(dirname(options.path));
    touchPrivate(options.path);
    for (const suffix of ['', '-wal', '-shm']) restrictFile(`${options.path}${suffix}`);
  }
  const db = new Database(options.path, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -32768'); // 32 MiB: a 100,000-image catalog's hot pages stay in memory
  db.pragma('temp_store = MEMORY');
  if (!options.readonly) migrate(db, options.migrations);
  const slowMs = options.slowQueryMs ?? 50;
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  const timed = <T>(name: string, fn: () => T): T => {
    const started = performance.now();
    const result = fn();
    const ms = performance.now() - started;
    if (ms >= slowMs) options.logger?.warn('catalog', `slow query ${name}: ${ms.toFixed(1)} ms`);
    return result;
  };
  return {
    db,
    path: options.path,
    wasLoose,
    run: (name, sql, ...params) => timed(name, () => prepare(sql).run(...params)),
    get: <T>(name: string, sql: string, ...params: unknown[]) =>
      timed(name, () => prepare(sql).get(...params) as T | undefined),
    all: <T>(name: string, sql: string, ...params: unknown[]) =>
      timed(name, () => prepare(sql).all(...params) as T[]),
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    close: () => {
      cache.clear();
      if (db.open) db.close();
    },
  };
};
