import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  AcceptedSuggestion,
  AppErrorShape,
  ImageDetail,
  LabelConflict,
  LabelTask,
  Result,
  Suggestion,
} from '../../shared/contract/index';
import { useApi } from '../api-context';
import { findInPager, type LabelingQueue } from '../assistant/labeling-queue';
import { useBrowse } from '../catalog/browse-context';
import { undoMessage, useUndo, useUndoListener } from '../catalog/undo-stack';
import { useWorkspace } from '../catalog/workspace';
import { applyClassPress } from './class-shortcuts';
import { resolveConflict, type ConflictChoice } from './label-conflict';

/** A label write another workstation's write beat: shown as a dialog until the user chooses. */
export interface PendingConflict {
  conflict: LabelConflict;
  /** The labels this user asked for. */
  mine: string[];
  imageId: number;
  file: string;
  kind: 'single' | 'multi';
  suggestion: AcceptedSuggestion | null;
}

/**
 * The labeling view's state machine over the shared browse list: which image is shown, its
 * detail (with the task's labels and history, from one catalog:image call), and the actions
 * (class press with auto-advance, skip, review flag with a reason, undo, next/previous).
 * Actions run one after another, each on the image shown when it starts, so fast typing applies
 * in order and never to a stale image. With a `queue` (an assistant queue mode), "next" and the
 * advance after a label follow it instead of the list order.
 */
export const useLabelingSession = (task: LabelTask | null, queue: LabelingQueue | null = null) => {
  const api = useApi();
  const ws = useWorkspace();
  const stack = useUndo();
  const { pager, focus, setFocus, version } = useBrowse();
  const [detail, setDetail] = useState<ImageDetail | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [autoAdvance, setAutoAdvance] = useState(true);
  const [notice, setNotice] = useState('');
  const [conflict, setConflict] = useState<PendingConflict | null>(null);
  /** The reason recorded with the next flag (empty: the catalog's default reason). */
  const [flagReason, setFlagReason] = useState('');
  /** Bumped when an undo may have changed the note under the editor, so it remounts. */
  const [noteEpoch, setNoteEpoch] = useState(0);
  const skipped = useRef(new Set<number>());
  /** Bumped after every change this view made or undid (progress counts re-read). */
  const [changes, setChanges] = useState(0);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const loadSeq = useRef(0);
  const total = pager.total() ?? 0;
  const row = pager.get(focus);
  const state = useRef({ focus, row, detail, task, user: ws.user, autoAdvance, flagReason, queue });
  state.current = { focus, row, detail, task, user: ws.user, autoAdvance, flagReason, queue };
  const taskName = task?.name ?? ws.task;

  useEffect(() => {
    if (!row && total > 0) void pager.request(focus, focus + 1);
  }, [row, focus, total, pager, version]);

  const fetchDetail = useCallback(
    (id: number) => api.catalog.image({ id, task: state.current.task?.name ?? taskName }),
    [api, taskName],
  );
  const load = useCallback(
    async (id: number): Promise<void> => {
      const seq = ++loadSeq.current;
      const result = await fetchDetail(id);
      if (seq !== loadSeq.current) return;
      if (result.ok) {
        setDetail(result.value);
        setError(null);
      } else setError(result.error);
    },
    [fetchDetail],
  );

  const rowId = row?.id;
  useEffect(() => {
    if (rowId !== undefined) void load(rowId);
  }, [rowId, load]); // `load` changes with the task, so a task switch re-reads the detail

  // Another workstation (or view) changed the shown image: re-read it, so its labels and the
  // version the next write is based on are the current ones (no needless conflict).
  useEffect(
    () =>
      api.catalog.onChanged((change) => {
        const shown = state.current.row;
        if (!shown || !change.imageIds.includes(shown.id)) return;
        void load(shown.id);
      }),
    [api, load],
  );

  const run = useCallback((action: () => Promise<void>) => {
    chain.current = chain.current.then(async () => {
      setBusy(true);
      try {
        await action();
      } catch (e) {
        setError({ code: 'INTERNAL', message: String((e as Error)?.message ?? e) });
      } finally {
        setBusy(false);
      }
    });
    return chain.current;
  }, []);

  const fail = (result: Result<unknown>): boolean => {
    if (result.ok) return false;
    setError(result.error);
    return true;
  };

  const goTo = useCallback(
    (index: number) => {
      if (index >= 0 && index < (pager.total() ?? 0)) setFocus(index);
    },
    [pager, setFocus],
  );

  const advance = async (from: number): Promise<void> => {
    const { queue: q, row: shown } = state.current;
    if (q) {
      const exclude = new Set(skipped.current);
      if (shown) exclude.add(shown.id);
      const id = await q.next(exclude);
      if (id !== null) {
        const at = await findInPager(pager, id);
        if (at >= 0) return goTo(at);
        setNotice('The next queued image is outside the current filters: going on in list order.');
      }
    }
    const next = await pager.nextUnlabeled(from, skipped.current);
    if (next === null) {
      setNotice('Every image in this list is labelled.');
      // Staying on this image: show what was just saved on it.
      const shown = state.current.row;
      if (shown) await load(shown.id);
    } else goTo(next);
  };

  const currentLabels = (): string[] => {
    const { detail: d, row: r, task: t } = state.current;
    if (!t || !r) return [];
    return d && d.id === r.id ? d.labels : r.labels;
  };

  /** Writes `labels` on the shown image (an accepted suggestion is recorded as such), then moves on. */
  const write = async (
    labels: (current: string[], t: LabelTask) => string[],
    suggestion: AcceptedSuggestion | null,
    alwaysAdvance: boolean,
  ): Promise<void> => {
    const { row: r, task: t, user, focus: at, detail: d } = state.current;
    if (!r || !t) return;
    const next = labels(currentLabels(), t);
    // The version this user saw: a write that another workstation's beat comes back as CONFLICT.
    const baseVersion = d && d.id === r.id ? d.labelVersion : undefined;
    const result = await api.catalog.setLabels({
      imageId: r.id,
      task: t.name,
      labels: next,
      user,
      reason: '',
      ...(suggestion ? { suggestion } : {}),
      ...(baseVersion !== undefined ? { baseVersion } : {}),
    });
    const lost = !result.ok && result.error.code === 'CONFLICT' ? result.error.conflicts?.[0] : undefined;
    if (lost) {
      setConflict({ conflict: lost, mine: next, imageId: r.id, file: r.file, kind: t.kind, suggestion });
      pager.patchLabels(r.id, lost.labels);
      return load(r.id);
    }
    if (fail(result)) return;
    const saved = result.ok ? result.value.labels : next;
    const said = `${r.file}: ${saved.join(', ') || 'cleared'}${suggestion ? ' (suggestion accepted)' : ''}`;
    if (result.ok && result.value.batchId !== null)
      stack.push({ batchId: result.value.batchId, description: said, imageIds: [r.id] });
    setChanges((c) => c + 1);
    pager.patchLabels(r.id, saved);
    setNotice(said);
    if (alwaysAdvance || (t.kind === 'single' && state.current.autoAdvance)) await advance(at);
    else await load(r.id);
  };

  const press = (name: string) =>
    run(() => write((current, t) => applyClassPress(current, name, t.kind === 'multi'), null, false));

  /**
   * Accepts the assistant's suggestion for the shown image (read when the action starts, so a
   * fast second key never applies one image's suggestion to the next) and advances.
   */
  const accept = (suggestionOf: (imageId: number) => Suggestion | null) =>
    run(async () => {
      const r = state.current.row;
      if (!r) return;
      const s = suggestionOf(r.id);
      if (!s) return setNotice('No suggestion for this image yet.');
      await write(
        (current, t) => (t.kind === 'multi' ? [...new Set([...current, s.label])] : [s.label]),
        { modelId: s.modelId, p: s.p },
        true,
      );
    });

  /**
   * The user's answer to a conflict: keep theirs (nothing written), replace (mine, on the version
   * now stored) or label both (the union; multi-label tasks). A rewrite can conflict again.
   */
  const resolve = (choice: ConflictChoice) =>
    run(async () => {
      const pending = conflict;
      setConflict(null);
      if (!pending) return;
      const write = resolveConflict(choice, pending.conflict, pending.mine);
      if (!write)
        return setNotice(`${pending.file}: kept ${pending.conflict.labels.join(', ') || 'no label'}`);
      const { user } = state.current;
      const result = await api.catalog.setLabels({
        imageId: pending.imageId,
        task: pending.conflict.task,
        labels: write.labels,
        user,
        reason: '',
        baseVersion: write.baseVersion,
        ...(pending.suggestion && choice === 'replace' ? { suggestion: pending.suggestion } : {}),
      });
      const again = !result.ok && result.error.code === 'CONFLICT' ? result.error.conflicts?.[0] : undefined;
      if (again) return setConflict({ ...pending, conflict: again });
      if (fail(result) || !result.ok) return;
      const said = `${pending.file}: ${result.value.labels.join(', ') || 'cleared'}`;
      if (result.value.batchId !== null)
        stack.push({ batchId: result.value.batchId, description: said, imageIds: [pending.imageId] });
      setChanges((c) => c + 1);
      pager.patchLabels(pending.imageId, result.value.labels);
      setNotice(said);
      if (state.current.row?.id === pending.imageId) await load(pending.imageId);
    });

  /** Undo through the app's one undo stack; the listener below returns to the image it changed. */
  const undo = () => run(async () => void (await stack.undo()));

  useUndoListener(
    (outcome) =>
      void run(async () => {
        setChanges((c) => c + 1);
        if (outcome.error) return setError(outcome.error);
        setNotice(undoMessage(outcome));
        if (outcome.undone === 0) return;
        const target = outcome.entry?.imageIds[0] ?? state.current.row?.id;
        if (target === undefined) return;
        const at = pager.indexOf(target);
        if (at >= 0) goTo(at);
        const fresh = await fetchDetail(target);
        if (fresh.ok) {
          pager.patchLabels(target, fresh.value.labels);
          setDetail(fresh.value);
        }
        setNoteEpoch((e) => e + 1);
      }),
  );

  const skip = () =>
    run(async () => {
      const { row: r, focus: at } = state.current;
      if (!r) return;
      skipped.current.add(r.id);
      await advance(at);
    });

  /** Flags the shown image with the typed reason, or clears its flag (the reason then says why). */
  const flag = () =>
    run(async () => {
      const { row: r, detail: d, user, flagReason: reason } = state.current;
      if (!r) return;
      const flagged = d !== null && d.id === r.id && d.flag !== null;
      const result = await api.catalog.setFlag({
        imageId: r.id,
        flagged: !flagged,
        user,
        reason: reason.trim() || (flagged ? 'review done' : ''),
      });
      if (fail(result)) return;
      if (result.ok && result.value.batchId !== null)
        stack.push({
          batchId: result.value.batchId,
          description: `${r.file}: ${flagged ? 'flag removed' : 'flagged'}`,
          imageIds: [r.id],
        });
      setFlagReason('');
      setNotice(flagged ? 'Review flag removed.' : 'Flagged for review.');
      await load(r.id);
    });

  /** A note save landed (batch `batchId`): undoable like a label. */
  const noteSaved = (imageId: number, batchId: number | null = null) => {
    if (batchId !== null)
      stack.push({
        batchId,
        description: `note of ${state.current.row?.file ?? `image ${imageId}`}`,
        imageIds: [imageId],
      });
    if (state.current.row?.id === imageId) void load(imageId);
  };

  const current = detail && row && detail.id === row.id ? detail : null;

  return {
    total,
    focus,
    row,
    detail: current,
    labels: currentLabels(),
    flagged: current?.flag != null,
    flagReason,
    setFlagReason,
    error,
    clearError: () => setError(null),
    conflict,
    resolveConflict: resolve,
    busy,
    notice,
    noteEpoch,
    changes,
    setNotice,
    autoAdvance,
    setAutoAdvance,
    press,
    accept,
    undo,
    skip,
    flag,
    next: () => (queue ? void run(() => advance(focus)) : goTo(focus + 1)),
    previous: () => goTo(focus - 1),
    noteSaved,
    retry: () => (row ? void load(row.id) : void pager.request(focus, focus + 1)),
  };
};
