import type { CatalogDb } from './catalog-db';

/**
 * Remembers counts the page query needs (totals, sizes of sort segments) while the catalog is
 * unchanged, so paging through one filter counts its matches once instead of once per page.
 *
 * Every entry belongs to one *catalog version*: this connection's `total_changes()` (bumped by every
 * row it inserts, updates or deletes, triggers included, even if later rolled back) paired with
 * `PRAGMA data_version` (bumped when another connection or process commits). When either moves,
 * the whole cache is dropped before the next read. Nothing is cached inside an open transaction,
 * whose uncommitted writes could still be rolled back without moving the version.
 */
export interface QueryCache {
  /** The cached value for `key` at the current version, else `compute()` (then cached). */
  get<T>(key: string, compute: () => T): T;
  /** The cached value for `key` at the current version, without computing it. */
  peek<T>(key: string): T | undefined;
  /** Records a value learnt on the way (e.g. a segment's size found by paging past its end). */
  set(key: string, value: unknown): void;
  /**
   * A value remembered across versions (last known sizes), only to choose a strategy: it may be
   * out of date, so nothing may be answered from it.
   */
  hint(key: string): number | undefined;
  remember(key: string, value: number): void;
  /** Entries currently held (for tests). */
  readonly size: number;
}

/** Entries kept per version; beyond it the cache starts over (a UI touches a handful of filters). */
const MAX_ENTRIES = 512;

export const createQueryCache = (cdb: CatalogDb): QueryCache => {
  const entries = new Map<string, unknown>();
  const hints = new Map<string, number>();
  let version = '';
  const currentVersion = (): string => {
    const row = cdb.get<{ changes: number; version: number }>(
      'query.version',
      'SELECT total_changes() AS changes, data_version AS version FROM pragma_data_version',
    )!;
    return `${row.changes}:${row.version}`;
  };
  /** Drops stale entries; false inside a transaction, where nothing may be read or kept. */
  const usable = (): boolean => {
    if (cdb.db.inTransaction) return false;
    const now = currentVersion();
    if (now !== version) {
      entries.clear();
      version = now;
    }
    return true;
  };
  const store = (key: string, value: unknown): void => {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, value);
  };
  return {
    get<T>(key: string, compute: () => T): T {
      if (!usable()) return compute();
      if (entries.has(key)) return entries.get(key) as T;
      const value = compute();
      store(key, value);
      return value;
    },
    peek<T>(key: string): T | undefined {
      return usable() ? (entries.get(key) as T | undefined) : undefined;
    },
    set(key, value) {
      if (usable()) store(key, value);
    },
    hint: (key) => hints.get(key),
    remember(key, value) {
      if (hints.size >= MAX_ENTRIES) hints.clear();
      hints.set(key, value);
    },
    get size() {
      return entries.size;
    },
  };
};

const caches = new WeakMap<CatalogDb, QueryCache>();

/** The query cache of an open catalog (one per connection, dropped with it). */
export const queryCacheOf = (cdb: CatalogDb): QueryCache => {
  let cache = caches.get(cdb);
  if (!cache) {
    cache = createQueryCache(cdb);
    caches.set(cdb, cache);
  }
  return cache;
};
