import type {
  AppErrorShape,
  ImagePage,
  ImageQueryInput,
  ImageSummary,
  Result,
} from '../../shared/contract/index';

/** A query without paging: the pager owns offset and limit. */
export type BrowseQuery = Omit<ImageQueryInput, 'offset' | 'limit'>;

export interface ImagePagerOptions {
  query: BrowseQuery;
  fetchPage: (query: ImageQueryInput) => Promise<Result<ImagePage>>;
  pageSize?: number;
  /** Pages kept in memory; the farthest from the last requested range are dropped first. */
  maxPages?: number;
  onChange?: () => void;
}

/**
 * Lazily pages through one catalog query for the grid and the labeling view. Rows are fetched a
 * page at a time as the visible range asks for them; a label change is patched into the cached
 * row so the list stays stable while a sonographer works through it. When a patched row stops
 * matching an "unlabeled" query, later pages are fetched at a corrected offset, so no row is
 * skipped even though the server's list has shrunk under us.
 */
export interface ImagePager {
  readonly query: BrowseQuery;
  total(): number | null;
  error(): AppErrorShape | null;
  get(index: number): ImageSummary | undefined;
  indexOf(id: number): number;
  /** Ensures the pages covering [start, end) are loaded (or loading). */
  request(start: number, end: number): Promise<void>;
  /** Replaces the labels of a cached row after the main process confirmed a change. */
  patchLabels(id: number, labels: string[]): void;
  /** Next index after `from` whose row is unlabeled and not in `skip` (wrapping once), or null. */
  nextUnlabeled(from: number, skip?: ReadonlySet<number>): Promise<number | null>;
}

export const createImagePager = (options: ImagePagerOptions): ImagePager => {
  const { query, fetchPage, onChange } = options;
  const size = options.pageSize ?? 200;
  const maxPages = options.maxPages ?? 60;
  const pages = new Map<number, ImageSummary[]>();
  const inflight = new Map<number, Promise<void>>();
  const gone = new Set<number>();
  let total: number | null = null;
  let error: AppErrorShape | null = null;
  let lastPage = 0;

  const evict = (): void => {
    if (pages.size <= maxPages) return;
    const far = [...pages.keys()].sort((a, b) => Math.abs(b - lastPage) - Math.abs(a - lastPage));
    for (const p of far.slice(0, pages.size - maxPages)) pages.delete(p);
  };

  const load = (page: number): Promise<void> => {
    const running = inflight.get(page);
    if (running) return running;
    const offset = page * size;
    let shift = 0;
    for (const index of gone) if (index < offset) shift++;
    const promise = fetchPage({ ...query, offset: Math.max(0, offset - shift), limit: size })
      .then((result) => {
        if (result.ok) {
          pages.set(page, result.value.items);
          if (total === null || page === 0) total = result.value.total + (query.unlabeled ? gone.size : 0);
          error = null;
          evict();
        } else {
          error = result.error;
        }
      })
      .catch((e: unknown) => {
        error = { code: 'INTERNAL', message: String((e as Error)?.message ?? e) };
      })
      .finally(() => {
        inflight.delete(page);
        onChange?.();
      });
    inflight.set(page, promise);
    return promise;
  };

  const get = (index: number): ImageSummary | undefined =>
    pages.get(Math.floor(index / size))?.[index % size];

  const pager: ImagePager = {
    query,
    total: () => total,
    error: () => error,
    get,
    indexOf(id) {
      for (const [p, rows] of pages) {
        const at = rows.findIndex((r) => r.id === id);
        if (at >= 0) return p * size + at;
      }
      return -1;
    },
    async request(start, end) {
      const first = Math.floor(Math.max(0, start) / size);
      const last = Math.floor(Math.max(start, end - 1) / size);
      lastPage = first;
      const waits: Promise<void>[] = [];
      for (let p = first; p <= last; p++) {
        if (total !== null && p * size >= total && p > 0) break;
        if (!pages.has(p)) waits.push(load(p));
      }
      await Promise.all(waits);
    },
    patchLabels(id, labels) {
      for (const [p, rows] of pages) {
        const at = rows.findIndex((r) => r.id === id);
        if (at < 0) continue;
        rows[at] = { ...rows[at]!, labels };
        const index = p * size + at;
        if (query.unlabeled && labels.length > 0) gone.add(index);
        else gone.delete(index);
      }
      onChange?.();
    },
    async nextUnlabeled(from, skip = new Set()) {
      if (total === null) await pager.request(0, 1);
      const count = total ?? 0;
      for (let step = 1; step < count; step++) {
        const index = (from + step) % count;
        if (!get(index)) await pager.request(index, index + size);
        const row = get(index);
        if (row && row.labels.length === 0 && !skip.has(row.id)) return index;
      }
      return null;
    },
  };
  return pager;
};
