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
import { DEFAULT_DATASET_PRESET } from '../../shared/augment/dataset-augmentation';
import type { AppErrorShape, PreviewTile } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useBrowse } from '../catalog/browse-context';
import { useDatasets } from '../catalog/catalog-data';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { PreviewRows } from './preview-rows';
import { StepEditor } from './step-editor';
import { describeDatasetAugmentation, useDatasetAugmentation } from './use-dataset-augmentation';
import '../styles/augment.css';

/** Parameters settle this long before a new preview is asked for. */
const REDRAW_DELAY_MS = 350;
const MAX_IMAGES = 4;

/**
 * Augmentation: the config the workspace's dataset trains with (`augment:datasetConfig`), edited
 * step by step from a preset, previewed on the selected catalog images by the trainer's own
 * pipeline and seed (`augment:preview`, re-drawn as parameters change; "New draw" advances the
 * seed), and saved as the dataset's next version, which the next run on the dataset trains with.
 */
export const AugmentScreen = () => {
  const api = useApi();
  const ws = useWorkspace();
  const { selected, pager, focus, version } = useBrowse();
  const [datasets] = useDatasets();
  const datasetName =
    datasets.status === 'ok' ? (datasets.value.find((d) => d.id === ws.datasetId)?.name ?? null) : null;
  const [stored, reloadStored] = useDatasetAugmentation(ws.datasetId);
  const saved = stored?.status === 'ok' ? stored.value : null;
  const [preset, setPreset] = useState<PresetName>(DEFAULT_DATASET_PRESET);
  const [config, setConfig] = useState<AugmentConfigInput>(() => buildPreset(DEFAULT_DATASET_PRESET));
  const [seed, setSeed] = useState(42);
  const [n, setN] = useState(6);
  const [tiles, setTiles] = useState<PreviewTile[]>([]);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [saveError, setSaveError] = useState<AppErrorShape | null>(null);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The editor starts from what the dataset trains with, and follows a change of dataset.
  const savedKey = saved ? `${saved.datasetId}:${saved.version}` : null;
  useEffect(() => {
    if (!saved) return;
    setPreset(saved.preset);
    setConfig(saved.config);
    // `savedKey` names the stored version.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [savedKey]);
  useEffect(() => setSavedNote(null), [ws.datasetId]);

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
  const dirty =
    saved !== null &&
    (preset !== saved.preset ||
      !parsed.success ||
      JSON.stringify(parsed.data) !== JSON.stringify(saved.config));

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

  const save = async () => {
    if (ws.datasetId === null || !parsed.success) return;
    const result = await api.augment.saveDatasetConfig({
      datasetId: ws.datasetId,
      preset,
      config: parsed.data,
      user: ws.user,
    });
    if (!result.ok) return setSaveError(result.error);
    setSaveError(null);
    setSavedNote(
      `Saved as version ${result.value.version}: the next run on ${datasetName ?? 'this dataset'} trains with it.`,
    );
    reloadStored();
  };

  const steps = config.steps;
  const setStep = (i: number, step: AugmentStep | null) =>
    setConfig({
      ...config,
      steps: step ? steps.map((s, j) => (j === i ? step : s)) : steps.filter((_, j) => j !== i),
    });

  return (
    <section className="screen augment-screen" aria-labelledby="augment-title">
      <header className="screen-header">
        <h2 id="augment-title">
          Augmentation{datasetName ? <span className="muted"> · {datasetName}</span> : null}
        </h2>
        <p className="muted small augment-trains" data-testid="trains-with">
          {saved
            ? `Runs on this dataset train with: ${describeDatasetAugmentation(saved)}`
            : ws.datasetId === null
              ? 'Choose a dataset in the catalog: the augmentation belongs to the dataset.'
              : 'Loading the dataset’s augmentation…'}
        </p>
      </header>
      {stored?.status === 'error' ? <ErrorMessage error={stored.error} onRetry={reloadStored} /> : null}
      <div className="augment-body">
        <form
          className="panel form augment-form"
          aria-label="Augmentation parameters"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="form-row">
            <label className="field grow">
              <span>Start from preset</span>
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
          <div className="form-row save-row">
            <button
              type="submit"
              className="button primary"
              disabled={!dirty || !parsed.success || ws.datasetId === null}
            >
              Save for {datasetName ?? 'dataset'}
            </button>
            {dirty ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  if (!saved) return;
                  setPreset(saved.preset);
                  setConfig(saved.config);
                }}
              >
                Revert
              </button>
            ) : null}
            <span className="muted small" role="status">
              {dirty
                ? `Unsaved: runs still train with ${saved && saved.version > 0 ? `version ${saved.version}` : 'the default'}.`
                : (savedNote ?? '')}
            </span>
          </div>
          {saveError ? <ErrorMessage error={saveError} /> : null}
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
            <button type="button" className="button" onClick={() => setSeed((s) => s + 1)}>
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
              : `${imageIds.length} image${imageIds.length === 1 ? '' : 's'} of ${datasetName ?? 'the dataset'} × ${n} renderings, seed ${seed}${busy ? ' · drawing…' : ''}`}
          </p>
          {error ? <ErrorMessage error={error} /> : null}
          <PreviewRows tiles={tiles} />
        </div>
      </div>
    </section>
  );
};
