import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorShape, Result } from '../../shared/contract/index';

export type SaveStatus =
  { state: 'idle' | 'pending' | 'saving' | 'saved' } | { state: 'error'; error: AppErrorShape };

const DRAFT_PREFIX = 'sonofuse.draft.';

/** An unsaved draft left by a crash or a closed window, if any. */
export const readDraft = (storage: Storage, key: string): string | null =>
  storage.getItem(DRAFT_PREFIX + key);

/**
 * Autosaves `value` `delayMs` after the last change. Until the main process confirms the save,
 * the text is also kept as a draft in localStorage, so a crash, reload or lost connection never
 * loses an edit; the draft is removed once saved. Pending saves are flushed on unmount.
 */
export const useAutosave = (options: {
  key: string;
  value: string;
  savedValue: string;
  save: (value: string) => Promise<Result<unknown>>;
  delayMs?: number;
  storage?: Storage;
}): { status: SaveStatus; flush: () => Promise<void> } => {
  const { key, value, savedValue, delayMs = 600 } = options;
  const storage = options.storage ?? window.localStorage;
  const [status, setStatus] = useState<SaveStatus>({ state: 'idle' });
  const latest = useRef({ value, savedValue, save: options.save, key, storage });
  latest.current = { value, savedValue, save: options.save, key, storage };
  const confirmed = useRef(savedValue);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const { value: v, save, key: k, storage: s } = latest.current;
    if (v === confirmed.current) return;
    setStatus({ state: 'saving' });
    const result = await save(v).catch((e: unknown) => ({
      ok: false as const,
      error: { code: 'INTERNAL' as const, message: String(e) },
    }));
    if (result.ok) {
      confirmed.current = v;
      if (latest.current.value === v) s.removeItem(DRAFT_PREFIX + k);
      setStatus({ state: 'saved' });
    } else {
      setStatus({ state: 'error', error: result.error });
    }
  }, []);

  useEffect(() => {
    confirmed.current = savedValue;
  }, [key, savedValue]);

  useEffect(() => {
    if (value === confirmed.current) return;
    storage.setItem(DRAFT_PREFIX + key, value);
    setStatus({ state: 'pending' });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), delayMs);
  }, [value, key, delayMs, storage, flush]);

  useEffect(
    () => () => {
      if (timer.current) void flush();
    },
    [flush],
  );

  return { status, flush };
};
