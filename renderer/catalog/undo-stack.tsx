import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { AppErrorShape } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useWorkspace } from './workspace';

/** One label, note or flag change this window made: the catalog batch and what it touched. */
export interface UndoEntry {
  batchId: number;
  /** Shown after an undo, e.g. "Labelled 33 images as fetal_thorax". */
  description: string;
  imageIds: readonly number[];
}

/** What an undo did: the entry (null when the catalog's own most recent change was undone). */
export interface UndoOutcome {
  entry: UndoEntry | null;
  undone: number;
  error: AppErrorShape | null;
}

export interface UndoStack {
  push(entry: UndoEntry): void;
  /** Undoes `batchId` (an Undo button beside a change), or the newest change when omitted. */
  undo(batchId?: number): Promise<UndoOutcome>;
  /** Called after every undo, whichever screen asked for it (screens re-read what they show). */
  onUndone(listener: (outcome: UndoOutcome) => void): () => void;
}

const UndoContext = createContext<UndoStack | null>(null);

/**
 * The one undo of the app: label actions of every screen are pushed here, Ctrl+Z (bound once, in
 * the app shell) undoes the newest, and an Undo button undoes its own change. It is backed by the
 * catalog's undo (catalog:undo with the batch id); when this window has nothing left (e.g. after a
 * reload) it asks the catalog to undo this labeller's most recent change.
 */
export const UndoProvider = ({ children }: { children: ReactNode }) => {
  const api = useApi();
  const { user } = useWorkspace();
  const entries = useRef<UndoEntry[]>([]);
  const listeners = useRef(new Set<(o: UndoOutcome) => void>());
  const who = useRef(user);
  who.current = user;

  const undo = useCallback(
    async (batchId?: number): Promise<UndoOutcome> => {
      const at =
        batchId === undefined
          ? entries.current.length - 1
          : entries.current.findIndex((e) => e.batchId === batchId);
      const entry = at >= 0 ? entries.current[at]! : null;
      const result = await api.catalog.undo({
        ...(who.current.trim() ? { user: who.current.trim() } : {}),
        ...(entry ? { batchId: entry.batchId } : batchId !== undefined ? { batchId } : {}),
      });
      if (entry) entries.current = entries.current.filter((e) => e !== entry);
      const outcome: UndoOutcome = result.ok
        ? { entry, undone: result.value.undone, error: null }
        : { entry, undone: 0, error: result.error };
      for (const l of [...listeners.current]) l(outcome);
      return outcome;
    },
    [api],
  );
  const value = useMemo<UndoStack>(
    () => ({
      push: (entry) => {
        entries.current = [...entries.current.slice(-199), entry];
      },
      undo,
      onUndone: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [undo],
  );
  return <UndoContext.Provider value={value}>{children}</UndoContext.Provider>;
};

/** The app's undo stack. */
export const useUndo = (): UndoStack => {
  const stack = useContext(UndoContext);
  if (!stack) throw new Error('useUndo() outside <UndoProvider>');
  return stack;
};

/** Runs `listener` after every undo while the component is mounted. */
export const useUndoListener = (listener: (outcome: UndoOutcome) => void): void => {
  const stack = useUndo();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => stack.onUndone((o) => latest.current(o)), [stack]);
};

/** The message an undo leaves, for the screen's notice line. */
export const undoMessage = (o: UndoOutcome): string =>
  o.error
    ? `Undo failed: ${o.error.message}`
    : o.undone === 0
      ? 'Nothing to undo.'
      : o.entry
        ? `Undid: ${o.entry.description} (${o.undone} change${o.undone === 1 ? '' : 's'}).`
        : `Undid ${o.undone} change${o.undone === 1 ? '' : 's'}.`;
