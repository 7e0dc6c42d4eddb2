import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { ViewState } from '../../shared/contract/index';
import { useApi } from '../api-context';

/** Where the user was in one dataset and task: the focused list index and the image shown there. */
export interface Position {
  index: number;
  imageId: number;
}

/**
 * Choices that every screen shares: the dataset, the screen, the label task of that dataset, where
 * the user was in each dataset/task, and the labeller's name recorded in the label/note history.
 * All of it belongs to the workspace's catalog (catalog:settings; the view is saved shortly after
 * each change with catalog:setViewState), so a reload or a restart returns to the same place; a copy
 * in localStorage answers at once while the catalog is asked. The name is asked once, never
 * defaulted.
 */
export interface Workspace {
  datasetId: number | null;
  /** The task chosen for the current dataset ('label' until one is chosen). */
  task: string;
  /** The labeller's name; '' while unknown (the app asks for it). */
  user: string;
  /** False until the catalog answered whether it knows the name (and where the user was). */
  userLoaded: boolean;
  /** The screen the user was on (null: never saved). */
  section: string | null;
  setSection(section: string): void;
  setDatasetId(id: number | null): void;
  /** Chooses the task of the current dataset (each dataset remembers its own). */
  setTask(task: string): void;
  /** Remembers the labeller's name for this workspace (in the catalog). */
  setUser(user: string): void;
  position(datasetId: number | null, task: string): Position | null;
  setPosition(datasetId: number | null, task: string, position: Position): void;
  /** Bumped when a screen changes the catalog in a way others should re-read (import, new task). */
  revision: number;
  bump(): void;
}

const KEY = 'sonofuse.workspace';

type Stored = ViewState;

/** Saves to the catalog this long after the last change (focus moves save often). */
const SAVE_DELAY_MS = 400;

const isPosition = (p: unknown): p is Position =>
  typeof p === 'object' &&
  p !== null &&
  Number.isInteger((p as Position).index) &&
  Number.isInteger((p as Position).imageId);

const read = (storage: Storage): Stored => {
  try {
    const parsed = JSON.parse(storage.getItem(KEY) ?? '{}') as Partial<Stored>;
    const tasks: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.tasks ?? {})) if (typeof v === 'string' && v) tasks[k] = v;
    const positions: Record<string, Position> = {};
    for (const [k, v] of Object.entries(parsed.positions ?? {})) if (isPosition(v)) positions[k] = v;
    return {
      datasetId: typeof parsed.datasetId === 'number' ? parsed.datasetId : null,
      section: typeof parsed.section === 'string' ? parsed.section : null,
      tasks,
      positions,
      ...(typeof parsed.savedAt === 'number' ? { savedAt: parsed.savedAt } : {}),
    };
  } catch {
    return { datasetId: null, section: null, tasks: {}, positions: {} };
  }
};

const WorkspaceContext = createContext<Workspace | null>(null);

/**
 * Provides the shared workspace; `storage` is injectable for tests, and `initial` seeds it (a
 * `user` given there is used as is, without asking the catalog).
 */
export const WorkspaceProvider = ({
  children,
  storage = window.localStorage,
  initial,
}: {
  children: ReactNode;
  storage?: Storage;
  initial?: { datasetId?: number | null; task?: string; user?: string };
}) => {
  const api = useApi();
  const [stored, setStored] = useState<Stored>(() => {
    const s = read(storage);
    const datasetId = initial?.datasetId !== undefined ? initial.datasetId : s.datasetId;
    return {
      ...s,
      datasetId,
      tasks: initial?.task ? { ...s.tasks, [String(datasetId)]: initial.task } : s.tasks,
    };
  });
  /** What localStorage held when this window opened. */
  const local = useRef(stored);
  const [user, setUserState] = useState(initial?.user ?? '');
  const [userLoaded, setUserLoaded] = useState(initial?.user !== undefined);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    if (initial?.user !== undefined) return;
    let live = true;
    void api.catalog.settings({}).then((r) => {
      if (!live) return;
      if (r.ok && r.value.userName) setUserState(r.value.userName);
      // The newer copy wins: this window's localStorage after a quick reload (the catalog's copy
      // may be a save behind), the catalog's after a restart on a new origin (no local copy).
      const view = r.ok ? r.value.view : null;
      if (view && !changed.current && (view.savedAt ?? 0) > (local.current.savedAt ?? 0)) {
        setStored(view);
        storage.setItem(KEY, JSON.stringify(view));
      }
      setUserLoaded(true);
    });
    return () => {
      live = false;
    };
    // `storage` and `initial` are fixed for the provider's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);

  /** True once this window changed the view (a late catalog answer must not undo that). */
  const changed = useRef(false);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(saveTimer.current), []);

  const update = useCallback(
    (patch: (s: Stored) => Partial<Stored>) =>
      setStored((s) => {
        const next = { ...s, ...patch(s), savedAt: Date.now() };
        storage.setItem(KEY, JSON.stringify(next));
        changed.current = true;
        clearTimeout(saveTimer.current);
        saveTimer.current = setTimeout(() => void api.catalog.setViewState({ view: next }), SAVE_DELAY_MS);
        return next;
      }),
    [storage, api],
  );
  const setUser = useCallback(
    (name: string) => {
      setUserState(name);
      if (name.trim()) void api.catalog.setUserName({ name: name.trim() });
    },
    [api],
  );
  const value = useMemo<Workspace>(
    () => ({
      datasetId: stored.datasetId,
      task: stored.tasks[String(stored.datasetId)] ?? 'label',
      user,
      userLoaded,
      section: stored.section,
      setSection: (section) => update(() => ({ section })),
      setDatasetId: (datasetId) => update(() => ({ datasetId })),
      setTask: (task) => update((s) => ({ tasks: { ...s.tasks, [String(s.datasetId)]: task } })),
      setUser,
      position: (datasetId, task) => stored.positions[`${datasetId}:${task}`] ?? null,
      setPosition: (datasetId, task, position) =>
        update((s) => ({ positions: { ...s.positions, [`${datasetId}:${task}`]: position } })),
      revision,
      bump: () => setRevision((r) => r + 1),
    }),
    [stored, update, user, userLoaded, setUser, revision],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
};

/** The shared workspace of this window. */
export const useWorkspace = (): Workspace => {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace() outside <WorkspaceProvider>');
  return ws;
};
