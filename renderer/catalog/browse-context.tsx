import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useApi } from '../api-context';
import { createImagePager, type BrowseQuery, type ImagePager } from './image-pager';
import { hasFilters } from './filter-summary';
import { useWorkspace } from './workspace';

/** The catalog filters the user chose; the dataset and task come from the workspace. */
export type BrowseFilters = Omit<BrowseQuery, 'datasetId' | 'task'>;

/**
 * The list being browsed, shared by the catalog grid and the labeling view: the filters, one pager
 * over the resulting query, the focused index (the image the labeling view shows) and the
 * multi-selection of the grid.
 */
export interface Browse {
  filters: BrowseFilters;
  setFilters(filters: BrowseFilters): void;
  pager: ImagePager;
  /** Re-renders consumers when pages arrive. */
  version: number;
  /** Drops cached pages and reads the query again. */
  refresh(): void;
  focus: number;
  setFocus(index: number): void;
  selected: ReadonlySet<number>;
  setSelected(ids: ReadonlySet<number>): void;
}

const BrowseContext = createContext<Browse | null>(null);

export const BrowseProvider = ({ children }: { children: ReactNode }) => {
  const api = useApi();
  const { datasetId, task, revision } = useWorkspace();
  const [filters, setFiltersState] = useState<BrowseFilters>({ sort: { by: 'id', dir: 'asc' } });
  const [generation, setGeneration] = useState(0);
  const [version, tick] = useReducer((v: number) => v + 1, 0);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const pager = useMemo(
    () =>
      createImagePager({
        query: { ...filters, task, ...(datasetId !== null ? { datasetId } : {}) },
        fetchPage: (q) => api.catalog.images(q),
        onChange: tick,
      }),
    // `generation` forces a fresh pager (refresh) with the same query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, filters, task, datasetId, generation, revision],
  );
  const ws = useWorkspace();
  const unfiltered = !hasFilters(filters);
  // Where the user was in this dataset/task (unfiltered list): the same image, else the first
  // unlabeled one. Positions are saved only once the restore of this list has run.
  const restored = useRef<ImagePager | null>(null);
  useEffect(() => {
    void pager.request(0, 1);
  }, [pager]);
  // The catalog's copy of the saved positions arrives once (userLoaded): restore after it.
  const loaded = ws.userLoaded;
  useEffect(() => {
    if (!loaded) return;
    let live = true;
    void (async () => {
      await pager.request(0, 1);
      if (!live) return;
      if (!unfiltered) {
        restored.current = pager;
        return;
      }
      const saved = ws.position(datasetId, task);
      let target: number | null = null;
      if (saved) {
        await pager.request(saved.index, saved.index + 1);
        if (pager.get(saved.index)?.id === saved.imageId) target = saved.index;
        else if (pager.indexOf(saved.imageId) >= 0) target = pager.indexOf(saved.imageId);
      }
      if (target === null) {
        const total = pager.total() ?? 0;
        target = total > 0 && pager.get(0)?.labels.length === 0 ? 0 : await pager.nextUnlabeled(0);
      }
      if (!live) return;
      restored.current = pager;
      setFocus(target ?? 0);
    })();
    return () => {
      live = false;
    };
    // Only a new list (pager) restores; the workspace changes with every saved position.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pager, loaded]);
  const focusedId = pager.get(focus)?.id;
  useEffect(() => {
    if (restored.current !== pager || !unfiltered || focusedId === undefined) return;
    const saved = ws.position(datasetId, task);
    if (saved?.index !== focus || saved.imageId !== focusedId)
      ws.setPosition(datasetId, task, { index: focus, imageId: focusedId });
  }, [pager, focus, focusedId, unfiltered, datasetId, task, ws]);
  const setFilters = useCallback((next: BrowseFilters) => {
    setFiltersState(next);
    setFocus(0);
    setSelected(new Set());
  }, []);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  const value = useMemo<Browse>(
    () => ({ filters, setFilters, pager, version, refresh, focus, setFocus, selected, setSelected }),
    [filters, setFilters, pager, version, refresh, focus, selected],
  );
  return <BrowseContext.Provider value={value}>{children}</BrowseContext.Provider>;
};

/** The shared browse state of this window. */
export const useBrowse = (): Browse => {
  const browse = useContext(BrowseContext);
  if (!browse) throw new Error('useBrowse() outside <BrowseProvider>');
  return browse;
};
