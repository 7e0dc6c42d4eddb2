import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useState,
  type ReactNode,
} from 'react';
import { useApi } from '../api-context';
import { createImagePager, type BrowseQuery, type ImagePager } from './image-pager';
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
  useEffect(() => {
    void pager.request(0, 1);
  }, [pager]);
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
