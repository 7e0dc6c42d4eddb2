import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api-context';

/** Where the user was in one dataset and task: the focused list index and the image shown there. */
export interface Position {
  index: number;
  imageId: number;
}

/**
 * Choices that every screen shares: the dataset, the label task of that dataset, where the user was
 * in each dataset/task, and the labeller's name recorded in the label/note history. Dataset, tasks
 * and positions are kept in localStorage so a reload returns to the same place; the name belongs to
 * the workspace's catalog (catalog:settings), asked once and never defaulted.
 */
export interface Workspace {
  datasetId: number | null;
  /** The task chosen for the current dataset ('label' until one is chosen). */
  task: string;
  /** The labeller's name; '' while unknown (the app asks for it). */
  user: string;
  /** False until the catalog answered whether it knows the name. */
  userLoaded: boolean;
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

interface Stored {
  datasetId: number | null;
  /** Task per dataset id. */
  tasks: Record<string, string>;
  /** Position per `${datasetId}:${task}`. */
  positions: Record<string, Position>;
}

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
      tasks,
      positions,
    };
  } catch {
    return { datasetId: null, tasks: {}, positions: {} };
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
  const [user, setUserState] = useState(initial?.user ?? '');
  const [userLoaded, setUserLoaded] = useState(initial?.user !== undefined);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    if (initial?.user !== undefined) return;
    let live = true;
    void api.catalog.settings({}).then((r) => {
      if (!live) return;
      if (r.ok && r.value.userName) setUserState(r.value.userName);
      setUserLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [api, initial?.user]);

  const update = useCallback(
    (patch: (s: Stored) => Partial<Stored>) =>
      setStored((s) => {
        const next = { ...s, ...patch(s) };
        storage.setItem(KEY, JSON.stringify(next));
        return next;
      }),
    [storage],
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
