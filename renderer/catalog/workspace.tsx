import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * Choices that every screen shares: the dataset and label task being worked on, and the name
 * recorded in the label/note history. Kept in localStorage so a reload returns to the same place.
 */
export interface Workspace {
  datasetId: number | null;
  task: string;
  user: string;
  setDatasetId(id: number | null): void;
  setTask(task: string): void;
  setUser(user: string): void;
  /** Bumped when a screen changes the catalog in a way others should re-read (import, new task). */
  revision: number;
  bump(): void;
}

const KEY = 'sonofuse.workspace';

interface Stored {
  datasetId: number | null;
  task: string;
  user: string;
}

const read = (storage: Storage): Stored => {
  try {
    const parsed = JSON.parse(storage.getItem(KEY) ?? '{}') as Partial<Stored>;
    return {
      datasetId: typeof parsed.datasetId === 'number' ? parsed.datasetId : null,
      task: typeof parsed.task === 'string' && parsed.task ? parsed.task : 'label',
      user: typeof parsed.user === 'string' && parsed.user.trim() ? parsed.user : 'sonographer',
    };
  } catch {
    return { datasetId: null, task: 'label', user: 'sonographer' };
  }
};

const WorkspaceContext = createContext<Workspace | null>(null);

/** Provides the shared workspace; `storage` is injectable for tests. */
export const WorkspaceProvider = ({
  children,
  storage = window.localStorage,
  initial,
}: {
  children: ReactNode;
  storage?: Storage;
  initial?: Partial<Stored>;
}) => {
  const [stored, setStored] = useState<Stored>(() => ({ ...read(storage), ...initial }));
  const [revision, setRevision] = useState(0);
  const update = useCallback(
    (patch: Partial<Stored>) =>
      setStored((s) => {
        const next = { ...s, ...patch };
        storage.setItem(KEY, JSON.stringify(next));
        return next;
      }),
    [storage],
  );
  const value = useMemo<Workspace>(
    () => ({
      ...stored,
      setDatasetId: (datasetId) => update({ datasetId }),
      setTask: (task) => update({ task }),
      setUser: (user) => update({ user }),
      revision,
      bump: () => setRevision((r) => r + 1),
    }),
    [stored, update, revision],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
};

/** The shared workspace of this window. */
export const useWorkspace = (): Workspace => {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace() outside <WorkspaceProvider>');
  return ws;
};
