import { useEffect, useId, useState } from 'react';
import type { AppErrorShape, RunSaliency } from '../../shared/contract/index';
import { saliencyGradientCss } from '../../shared/run/saliency-colours';
import { useApi } from '../api-context';
import { ErrorMessage } from '../components/error-message';

type State =
  | { status: 'off' }
  | { status: 'loading' }
  | { status: 'ok'; value: RunSaliency }
  | { status: 'error'; error: AppErrorShape };

/**
 * Grad-CAM of one image of a run (`run:saliency`) while `on`, for `classIndex` (null: the
 * stage-1 network's predicted class). Re-asked when the class changes; stale answers are dropped.
 */
export const useSaliency = (
  runId: number,
  imageId: number,
  on: boolean,
  classIndex: number | null,
): State => {
  const api = useApi();
  const [state, setState] = useState<State>({ status: 'off' });
  useEffect(() => {
    if (!on) return setState({ status: 'off' });
    let live = true;
    setState({ status: 'loading' });
    void api.run.saliency({ runId, imageId, ...(classIndex === null ? {} : { classIndex }) }).then((r) => {
      if (live) setState(r.ok ? { status: 'ok', value: r.value } : { status: 'error', error: r.error });
    });
    return () => {
      live = false;
    };
  }, [api, runId, imageId, on, classIndex]);
  return state;
};

/**
 * The "Saliency" toggle and its class picker (default: the predicted class). Native button and
 * select, so Tab, Space/Enter and the arrow keys work; the toggle says its state with aria-pressed.
 */
export const SaliencyControls = ({
  classes,
  on,
  onToggle,
  classIndex,
  onClass,
}: {
  classes: readonly string[];
  on: boolean;
  onToggle: () => void;
  classIndex: number | null;
  onClass: (classIndex: number | null) => void;
}) => {
  const id = useId();
  return (
    <div className="saliency-controls">
      <button
        type="button"
        className={on ? 'button small active' : 'button small'}
        aria-pressed={on}
        onClick={onToggle}
      >
        Saliency
      </button>
      <label htmlFor={id} className="muted small">
        Class
      </label>
      <select
        id={id}
        aria-label="Saliency class"
        value={classIndex === null ? '' : String(classIndex)}
        disabled={!on}
        onChange={(e) => onClass(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">Predicted class</option>
        {classes.map((c, k) => (
          <option key={c} value={k}>
            {c}
          </option>
        ))}
      </select>
    </div>
  );
};

/**
 * The network's input with the heat map drawn semi-transparently over it, and a legend: the
 * colour scale, the explained class with its probability, and what the frame is.
 */
export const SaliencyFigure = ({ state, imageId }: { state: State; imageId: number }) => {
  if (state.status === 'off') return null;
  if (state.status === 'loading') return <p role="status">Computing the saliency map…</p>;
  if (state.status === 'error') return <ErrorMessage error={state.error} />;
  const s = state.value;
  const predicted = s.classIndex === s.predictedIndex;
  return (
    <figure className="saliency" data-testid="saliency">
      <div className="saliency-frame">
        <img src={`data:image/png;base64,${s.imagePng}`} alt={`Image ${imageId} as the network saw it`} />
        <img
          className="saliency-heat"
          src={`data:image/png;base64,${s.heatmapPng}`}
          alt={`Grad-CAM heat map for ${s.label}`}
        />
      </div>
      <figcaption>
        <div className="saliency-legend" aria-hidden="true">
          <span>low</span>
          <span className="saliency-scale" style={{ background: saliencyGradientCss() }} />
          <span>high</span>
        </div>
        <p>
          Grad-CAM of the stage-1 image model for <b>{s.label}</b>
          {predicted ? ' (its prediction)' : ''}, p = {(s.probs[s.classIndex]! * 100).toFixed(1)} %.{' '}
          {s.peak > 0
            ? 'Warm areas raised this class’s score most.'
            : `No area raises the score of ${s.label}: the map is empty.`}
        </p>
        <p className="muted small">
          Shown on the network’s {s.size} px input (preprocessed as in evaluation); {s.grid.width}×
          {s.grid.height} feature grid, upsampled.
        </p>
      </figcaption>
    </figure>
  );
};
