import { useMemo, useState } from 'react';
import type { AppErrorShape, Suggestion } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { ModalDialog } from '../components/modal-dialog';
import { percent } from './assistant-text';

/** Unlabeled images the assistant suggests `label` for with probability at least `threshold`, surest first. */
export const suggestedIds = (
  suggestions: ReadonlyMap<number, Suggestion>,
  label: string,
  threshold: number,
): Suggestion[] =>
  [...suggestions.values()]
    .filter((s) => s.label === label && s.p >= threshold)
    .sort((a, b) => b.p - a.p || a.imageId - b.imageId);

/**
 * The grid's "suggested X with p ≥ t" filter and its bulk confirmation: shows how many unlabeled
 * images match, narrows the grid to them, and, after a confirmation dialog, writes them all as
 * accepted suggestions in one undoable change (each image's own model and probability in the
 * history).
 */
export const SuggestionFilter = ({
  datasetId,
  task,
  user,
  classes,
  suggestions,
  onShow,
  onConfirmed,
  onError,
  trainedOn = null,
}: {
  datasetId: number;
  task: string;
  user: string;
  classes: readonly string[];
  suggestions: ReadonlyMap<number, Suggestion>;
  /** Narrows the grid to these images (null: clears the filter). */
  onShow: (ids: number[] | null) => void;
  onConfirmed: (outcome: { message: string; batchId: number | null; imageIds: number[] }) => void;
  onError: (error: AppErrorShape) => void;
  /** Labels the suggesting model was trained on (said in the dialog: few labels, high p). */
  trainedOn?: number | null;
}) => {
  const api = useApi();
  const [label, setLabel] = useState(classes[0] ?? '');
  const [threshold, setThreshold] = useState(0.9);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const chosen = label || classes[0] || '';
  // Images confirmed here stay out while the same model answers (the assistant's list catches up
  // with the new labels at its next retrain, which brings a new model id).
  const [confirmed, setConfirmed] = useState<{ modelId: string; ids: Set<number> } | null>(null);
  const matches = useMemo(
    () =>
      suggestedIds(suggestions, chosen, threshold).filter(
        (s) => !(confirmed?.modelId === s.modelId && confirmed.ids.has(s.imageId)),
      ),
    [suggestions, chosen, threshold, confirmed],
  );
  if (suggestions.size === 0 || classes.length === 0) return null;
  const n = matches.length;

  const confirm = async (): Promise<void> => {
    setConfirming(false);
    setBusy(true);
    const result = await api.catalog.bulkRelabel({
      datasetId,
      task,
      imageIds: matches.map((s) => s.imageId),
      to: [chosen],
      user,
      reason: `confirmed assistant suggestions (${chosen}, p ≥ ${percent(threshold)})`,
      suggestions: matches.map((s) => ({ imageId: s.imageId, modelId: s.modelId, p: s.p })),
    });
    setBusy(false);
    if (!result.ok) return onError(result.error);
    const modelId = matches[0]?.modelId ?? '';
    const before = confirmed?.modelId === modelId ? [...confirmed.ids] : [];
    setConfirmed({ modelId, ids: new Set([...before, ...matches.map((s) => s.imageId)]) });
    const k = result.value.changed;
    onConfirmed({
      message: `Confirmed ${k} suggestion${k === 1 ? '' : 's'} as ${chosen}.`,
      batchId: result.value.batchId,
      imageIds: matches.map((s) => s.imageId),
    });
  };

  return (
    <div className="suggestion-filter" role="group" aria-label="Assistant suggestions">
      <label className="field">
        <span>Suggested</span>
        <select value={chosen} onChange={(e) => setLabel(e.target.value)} aria-label="Suggested class">
          {classes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>with p ≥</span>
        <input
          type="number"
          aria-label="Minimum probability"
          min={0}
          max={1}
          step={0.05}
          value={threshold}
          onChange={(e) => {
            const t = Number(e.target.value);
            if (Number.isFinite(t)) setThreshold(Math.min(1, Math.max(0, t)));
          }}
        />
      </label>
      <span data-testid="suggested-count">
        {n.toLocaleString('en')} unlabeled image{n === 1 ? '' : 's'}
      </span>
      <button
        type="button"
        className="button"
        disabled={n === 0}
        onClick={() => onShow(matches.map((s) => s.imageId))}
      >
        Show them
      </button>
      <button type="button" className="button" disabled={n === 0 || busy} onClick={() => setConfirming(true)}>
        Confirm {n.toLocaleString('en')} suggestion{n === 1 ? '' : 's'}…
      </button>
      {confirming ? (
        <ModalDialog labelledBy="confirm-suggestions-title" onClose={() => setConfirming(false)}>
          <h2 id="confirm-suggestions-title">
            Label {n.toLocaleString('en')} image{n === 1 ? '' : 's'} as {chosen}?
          </h2>
          <p>
            The assistant suggests {chosen} for each of them with a probability of {percent(threshold)} or
            more (lowest {percent(matches[n - 1]?.p ?? threshold)}). They are recorded as accepted
            suggestions, in one change that can be undone (Ctrl+Z, or Undo beside the message).
          </p>
          {trainedOn !== null ? (
            <p className="muted small">
              The model was trained on {trainedOn.toLocaleString('en')} label{trainedOn === 1 ? '' : 's'}:
              with few labels its probabilities run high, so look at the images first.
            </p>
          ) : null}
          <div className="form-row">
            <button type="button" className="button primary" onClick={() => void confirm()}>
              Confirm {n.toLocaleString('en')} suggestion{n === 1 ? '' : 's'}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </div>
  );
};
