/**
 * What the PostgreSQL page query remembers between pages (the pg counterpart of SQLite's
 * main/catalog/query-cache.ts): each filter's total, and *anchors* (the sort key of the row at a
 * position) so a later page starts from the nearest anchor at or before its offset (keyset paging)
 * instead of skipping every row before it.
 *
 * Every entry belongs to one *catalog version*: the database's transaction snapshot
 * (`txid_current_snapshot()`: the transactions committed and in progress), read with the page.
 * Two queries under the same snapshot see the same rows, so an entry is exact while it holds; any
 * commit on any workstation moves the snapshot and the whole cache is dropped before the next read
 * (the change feed's NOTIFY arrives later than that, so it cannot be the invalidation). A snapshot
 * read before the rows it keys can only be older than them: such an entry is never read again.
 */
export interface PgPageCache {
  /** Drops everything when `snapshot` differs from the one the entries belong to. */
  at(snapshot: string): void;
  total(key: string): number | undefined;
  setTotal(key: string, total: number): void;
  /** The anchor with the greatest position ≤ `offset` for the query `key`, if any. */
  anchor(key: string, offset: number): { position: number; values: unknown[] } | undefined;
  /** The row at `position` of the query `key` has these sort values (last: its id). */
  setAnchor(key: string, position: number, values: unknown[]): void;
  /** Entries held (for tests). */
  readonly size: number;
}

/** Queries remembered per snapshot; beyond it the cache starts over (a UI touches a handful). */
const MAX_KEYS = 256;
/** Anchors kept per query (a user pages through a few hundred pages at most). */
const MAX_ANCHORS = 1024;

export const createPgPageCache = (): PgPageCache => {
  let snapshot = '';
  const totals = new Map<string, number>();
  const anchors = new Map<string, Map<number, unknown[]>>();
  return {
    at(now) {
      if (now === snapshot) return;
      snapshot = now;
      totals.clear();
      anchors.clear();
    },
    total: (key) => totals.get(key),
    setTotal(key, total) {
      if (totals.size >= MAX_KEYS) totals.clear();
      totals.set(key, total);
    },
    anchor(key, offset) {
      let best: { position: number; values: unknown[] } | undefined;
      for (const [position, values] of anchors.get(key) ?? [])
        if (position <= offset && (!best || position > best.position)) best = { position, values };
      return best;
    },
    setAnchor(key, position, values) {
      let forKey = anchors.get(key);
      if (!forKey) {
        if (anchors.size >= MAX_KEYS) anchors.clear();
        forKey = new Map();
        anchors.set(key, forKey);
      }
      if (forKey.size >= MAX_ANCHORS) forKey.clear();
      forKey.set(position, values);
    },
    get size() {
      return totals.size + [...anchors.values()].reduce((n, m) => n + m.size, 0);
    },
  };
};
