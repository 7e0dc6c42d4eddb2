import { useEffect, useMemo, useState } from 'react';
import {
  AugmentConfig,
  type AugmentConfigInput,
  type AugmentStep,
} from '../../shared/augment/augment-config';
import {
  buildPreset,
  PRESET_LABELS,
  PRESET_NAMES,
  type PresetName,
} from '../../shared/augment/augment-presets';
import type { AppErrorShape, PreviewTile } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useBrowse } from '../catalog/browse-context';
import { ErrorMessage } from '../components/error-message';
import { describeDrawn } from './drawn-params';
import { StepEditor } from './step-editor';

/** Parameters settle this long before a new preview is asked for. */
const REDRAW_DELAY_MS = 350;
const MAX_IMAGES = 4;

/**
 * Augmentation preview: start from a preset, edit each step's parameters, and see a grid of
 * augmented renderings of the selected catalog images drawn by the trainer's own pipeline and
 * seed (`augment:preview`), re-drawn as parameters change; "New draw" advances the seed.
 */
export const AugmentScreen = () => {
  const api = useApi();
  const { selected, pager, focus, version } = useBrowse();
  const [preset, setPreset] = useState<PresetName>('ultrasound-default');
  const [config, setConfig] = useState<AugmentConfigInput>(() => buildPreset('ultrasound-default'));
  const [seed, setSeed] = useState(42);
  const [n, setN] = useState(6);
  const [tiles, setTiles] = useState<PreviewTile[]>([]);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [busy, setBusy] = useState(false);

  const imageIds = useMemo(() => {
    if (selected.size > 0) return [...selected].slice(0, MAX_IMAGES);
    const ids: number[] = [];
    for (let i = focus; ids.length < MAX_IMAGES && i < (pager.total() ?? 0); i++) {
      const row = pager.get(i);
      if (!row) break;
      ids.push(row.id);
    }
    return ids;
    // `version` says the pager's rows changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, pager, focus, version]);

  const parsed = useMemo(() => AugmentConfig.safeParse(config), [config]);
  const key = JSON.stringify([parsed.success ? parsed.data : null, seed, n, imageIds]);

  useEffect(() => {
    if (!parsed.success || imageIds.length === 0) return;
    let live = true;
    const timer = setTimeout(async () => {
      setBusy(true);
      const result = await api.augment.preview({ imageIds, config: parsed.data, seed, n });
      if (!live) return;
      setBusy(false);
      if (result.ok) {
        setTiles(result.value.tiles);
        setError(null);
      } else setError(result.error);
    }, REDRAW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `key` captures every input of the request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, api]);

  const steps = config.steps;
  const setStep = (i: number, step: AugmentStep | null) =>
    setConfig({
      ...config,
      steps: step ? steps.map((s, j) => (j === i ? step : s)) : steps.filter((_, j) => j !== i),
    });

  return (
    <section className="screen augment-screen" aria-labelledby="augment-title">
      <header className="screen-header">
        <h2 id="augment-title">Augmentation preview</h2>
      </header>
      <div className="augment-body">
        <form
          className="panel form augment-form"
          aria-label="Augmentation parameters"
          onSubmit={(e) => e.preventDefault()}
        >
          <div className="form-row">
            <label className="field grow">
              <span>Preset</span>
              <select
                value={preset}
                onChange={(e) => {
                  const name = e.target.value as PresetName;
                  setPreset(name);
                  setConfig(buildPreset(name));
                }}
              >
                {PRESET_NAMES.map((p) => (
                  <option key={p} value={p}>
                    {PRESET_LABELS[p]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form-row">
            <label className="field">
              <span>Seed</span>
              <input
                type="number"
                value={seed}
                min={0}
                onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value))))}
              />
            </label>
            <label className="field">
              <span>Renderings per image</span>
              <select value={n} onChange={(e) => setN(Number(e.target.value))}>
                {[3, 6, 9, 12].map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button primary" onClick={() => setSeed((s) => s + 1)}>
              New draw
            </button>
          </div>
          {!parsed.success ? (
            <p className="error-text" role="alert">
              {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}
            </p>
          ) : null}
          <div className="steps">
            {steps.map((step, i) => (
              <StepEditor
                key={`${i}-${step.kind}`}
                step={step as AugmentStep}
                index={i}
                onChange={(s) => setStep(i, s)}
                onRemove={() => setStep(i, null)}
              />
            ))}
          </div>
        </form>
        <div className="augment-preview" aria-busy={busy}>
          <p className="muted small" role="status">
            {imageIds.length === 0
              ? 'Select images in the catalog (Space) to preview them; without a selection the focused image and the next ones are used.'
              : `${imageIds.length} image${imageIds.length === 1 ? '' : 's'} × ${n} renderings, seed ${seed}${busy ? ' · drawing…' : ''}`}
          </p>
          {error ? <ErrorMessage error={error} /> : null}
          <ul className="tile-grid" aria-label="Augmented renderings">
            {tiles.map((t) => (
              <li key={`${t.imageId}-${t.index}`} className="tile">
                <img
                  src={`data:image/png;base64,${t.pngBase64}`}
                  alt={`Image ${t.imageId}, rendering ${t.index + 1}`}
                  width={t.width}
                  height={t.height}
                />
                <span className="tile-params" data-testid="tile-params">
                  {describeDrawn(t.params)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
};
