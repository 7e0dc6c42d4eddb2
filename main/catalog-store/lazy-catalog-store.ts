import type { CatalogEngine, CatalogStore } from './catalog-store';
import type { RaterStore } from './rater-store';

type AsyncMethod = Exclude<
  keyof CatalogStore,
  'engine' | 'location' | 'onChanged' | 'close' | 'raters' | 'jobs'
>;
const RATER_METHODS: ReadonlyArray<keyof RaterStore> = [
  'role',
  'ratersOfTask',
  'taskOfImage',
  'setRaters',
  'setRaterLabel',
  'pageFor',
  'detailFor',
  'ratingsOf',
  'ratings',
  'queue',
  'adjudicate',
  'agreement',
  'trainingLabels',
];
const METHODS: readonly AsyncMethod[] = [
  'currentUser',
  'isReviewer',
  'datasets',
  'renameDataset',
  'deleteDataset',
  'ensureDataset',
  'tasks',
  'defineTask',
  'editTask',
  'taskHistory',
  'images',
  'image',
  'storedPath',
  'setLabels',
  'bulkRelabel',
  'undo',
  'setNote',
  'setFlag',
  'history',
  'stats',
  'splits',
  'createSplit',
  'exportDataset',
  'splitAssignments',
  'addImages',
  'snapshotRows',
];

/**
 * A CatalogStore that opens on first use (the app's composition root is synchronous; opening a
 * PostgreSQL catalog connects and migrates). A failed open is retried on the next call.
 */
export const lazyCatalogStore = (
  open: () => Promise<CatalogStore>,
  engine: CatalogEngine,
  location: string,
): CatalogStore => {
  let opening: Promise<CatalogStore> | null = null;
  const get = (): Promise<CatalogStore> => {
    opening ??= open().catch((error: unknown) => {
      opening = null;
      throw error;
    });
    return opening;
  };
  const methods = Object.fromEntries(
    METHODS.map((name) => [
      name,
      async (...args: unknown[]) => {
        const store = await get();
        return (store[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as Pick<CatalogStore, AsyncMethod>;
  const raters = Object.fromEntries(
    RATER_METHODS.map((name) => [
      name,
      async (...args: unknown[]) => {
        const store = await get();
        return (store.raters[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as RaterStore;
  const jobs: CatalogStore['jobs'] = {
    create: async (input) => (await get()).jobs.create(input),
    list: async (input) => (await get()).jobs.list(input),
    queue: async (jobId, limit) => (await get()).jobs.queue(jobId, limit),
  };
  return {
    engine,
    location,
    ...methods,
    raters,
    jobs,
    onChanged(listener) {
      let unsubscribe: (() => void) | null = null;
      let cancelled = false;
      void get().then(
        (store) => {
          if (!cancelled) unsubscribe = store.onChanged(listener);
        },
        () => undefined,
      );
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
    async close() {
      const store = opening ? await opening.catch(() => null) : null;
      await store?.close();
    },
  };
};
