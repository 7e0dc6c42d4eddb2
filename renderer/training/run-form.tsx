import { useState } from 'react';
import { PRESET_LABELS, PRESET_NAMES, type PresetName } from '../../shared/augment/augment-presets';
import type { AppErrorShape } from '../../shared/contract/index';
import {
  methodLabels,
  RunConfig,
  runMethods,
  type RunConfigInput,
  type RunMethod,
} from '../../shared/run/run-config';
import { ErrorMessage } from '../components/error-message';

const defaults = RunConfig.parse({ dataset: 'x' });

/**
 * The one-click run: dataset and task come from the workspace; the preset and an "Advanced" drawer
 * hold the RunConfig fields. The config is validated here with the same schema main uses.
 */
export const RunForm = ({
  dataset,
  task,
  busy,
  onStart,
}: {
  dataset: string | null;
  task: string;
  busy: boolean;
  onStart: (config: RunConfigInput) => Promise<AppErrorShape | null>;
}) => {
  const [preset, setPreset] = useState<PresetName>(defaults.augmentation.preset);
  const [epochs1, setEpochs1] = useState(defaults.stage1.epochs);
  const [epochs2, setEpochs2] = useState(defaults.stage2.epochs);
  const [headEpochs, setHeadEpochs] = useState(defaults.heads.epochs);
  const [imageSize, setImageSize] = useState(defaults.imageSize);
  const [batchSize, setBatchSize] = useState(defaults.batchSize);
  const [seed, setSeed] = useState(defaults.seed);
  const [seeds, setSeeds] = useState(defaults.seeds);
  const [optimizer, setOptimizer] = useState(defaults.stage1.optimizer);
  const [lr, setLr] = useState(defaults.stage1.lr);
  const [head, setHead] = useState(defaults.stage2.head);
  const [methods, setMethods] = useState<RunMethod[]>([...runMethods]);
  const [error, setError] = useState<AppErrorShape | null>(null);

  const submit = async () => {
    if (!dataset) return;
    const input: RunConfigInput = {
      dataset,
      task,
      seed,
      seeds,
      imageSize,
      batchSize,
      methods,
      stage1: { epochs: epochs1, optimizer, lr },
      stage2: { epochs: epochs2, head },
      heads: { epochs: headEpochs },
      augmentation: { preset },
    };
    const parsed = RunConfig.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setError({ code: 'INVALID_INPUT', message: `${issue.path.join('.')}: ${issue.message}` });
      return;
    }
    setError(await onStart(input));
  };
  const num = (label: string, value: number, set: (v: number) => void, step = 1) => (
    <label className="field">
      <span>{label}</span>
      <input type="number" value={value} step={step} onChange={(e) => set(Number(e.target.value))} />
    </label>
  );
  return (
    <section className="panel" aria-labelledby="run-form-title">
      <h2 id="run-form-title">New run</h2>
      <p className="muted">
        {dataset
          ? `Dataset “${dataset}”, task “${task}”, its stored group-aware split.`
          : 'Choose a dataset in the Catalog first.'}
      </p>
      <div className="toolbar">
        <label className="field">
          <span>Augmentation</span>
          <select value={preset} onChange={(e) => setPreset(e.target.value as PresetName)}>
            {PRESET_NAMES.map((p) => (
              <option key={p} value={p}>
                {PRESET_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          disabled={!dataset || busy}
          onClick={() => void submit()}
        >
          Run all methods
        </button>
      </div>
      <details>
        <summary>Advanced</summary>
        <div className="toolbar wrap">
          {num('Stage 1 epochs', epochs1, setEpochs1)}
          {num('Stage 2 epochs', epochs2, setEpochs2)}
          {num('Head epochs', headEpochs, setHeadEpochs)}
          {num('Image size (px)', imageSize, setImageSize, 32)}
          {num('Batch size', batchSize, setBatchSize)}
          {num('Seed', seed, setSeed)}
          {num('Seeds', seeds, setSeeds)}
          {num('Stage 1 learning rate', lr, setLr, 0.0001)}
          <label className="field">
            <span>Stage 1 optimizer</span>
            <select value={optimizer} onChange={(e) => setOptimizer(e.target.value as 'sgd' | 'adam')}>
              <option value="adam">Adam</option>
              <option value="sgd">SGD + momentum</option>
            </select>
          </label>
          <label className="field">
            <span>Stage 2 head</span>
            <select value={head} onChange={(e) => setHead(e.target.value as 'linear' | 'mlp')}>
              <option value="linear">Linear</option>
              <option value="mlp">MLP</option>
            </select>
          </label>
        </div>
        <fieldset className="methods">
          <legend>Methods</legend>
          {runMethods.map((m) => (
            <label key={m} className="check">
              <input
                type="checkbox"
                checked={methods.includes(m)}
                onChange={(e) =>
                  setMethods((all) => (e.target.checked ? [...all, m] : all.filter((x) => x !== m)))
                }
              />
              {methodLabels[m]}
            </label>
          ))}
        </fieldset>
      </details>
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
};
