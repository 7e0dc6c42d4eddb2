import { useEffect, useState } from 'react';
import type { AppErrorShape, LabelTask } from '../../shared/contract/index';
import {
  methodLabels,
  RunConfig,
  runMethods,
  type RunConfigInput,
  type RunMethod,
} from '../../shared/run/run-config';
import { fieldLabel, runConfigDefaults } from '../../shared/run/run-config-fields';
import { useApi } from '../api-context';
import { describeDatasetAugmentation, useDatasetAugmentation } from '../augment/use-dataset-augmentation';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';

/** Defaults and labels come from the RunConfig field table (the CLI's flags use it too). */
const defaults = runConfigDefaults;

/**
 * The one-click run: dataset and task (shared with the other screens through the workspace), the
 * dataset's augmentation (shown as `run:start` will resolve it; edited on the Augmentation
 * screen), and an "Advanced" drawer with the RunConfig fields. The config is
 * validated here with the same schema main uses, so mistakes are named before anything starts.
 */
export const RunForm = ({
  datasets,
  busy,
  onStart,
  onEditAugmentation,
}: {
  datasets: ReadonlyArray<{ id: number; name: string; images: number }>;
  busy: boolean;
  onStart: (config: RunConfigInput) => Promise<AppErrorShape | null>;
  /** Opens the Augmentation screen (where the dataset's config is edited). */
  onEditAugmentation?: () => void;
}) => {
  const api = useApi();
  const ws = useWorkspace();
  const chosen = datasets.find((d) => d.id === ws.datasetId) ?? datasets[0] ?? null;
  const chosenId = chosen?.id ?? null;
  const [tasks, setTasks] = useState<LabelTask[]>([]);
  useEffect(() => {
    let live = true;
    if (chosenId === null) return;
    void api.catalog.tasks({ datasetId: chosenId }).then((r) => {
      if (live && r.ok) setTasks(r.value);
    });
    return () => {
      live = false;
    };
  }, [api, chosenId]);
  const task = tasks.find((t) => t.name === ws.task) ?? tasks[0] ?? null;
  const [augmentation] = useDatasetAugmentation(chosenId);
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
  const [lr2, setLr2] = useState(defaults.stage2.lr);
  const [headLr, setHeadLr] = useState(defaults.heads.lr);
  const [textEncoder, setTextEncoder] = useState<'use-lite' | 'none'>('use-lite');
  const [backboneFolder, setBackboneFolder] = useState('');
  const [metadataFields, setMetadataFields] = useState('');
  const [views, setViews] = useState(defaults.evaluation.views);
  const [methods, setMethods] = useState<RunMethod[]>([...runMethods]);
  const [error, setError] = useState<AppErrorShape | null>(null);

  const submit = async () => {
    if (!chosen || !task) return;
    const input: RunConfigInput = {
      dataset: chosen.name,
      task: task.name,
      seed,
      seeds,
      imageSize,
      batchSize,
      methods,
      stage1: { epochs: epochs1, optimizer, lr },
      stage2: { epochs: epochs2, head, lr: lr2 },
      heads: { epochs: headEpochs, lr: headLr },
      // No augmentation here: run:start trains the dataset's saved config (shown above).
      evaluation: { views },
      encoders: {
        text: { kind: textEncoder },
        ...(backboneFolder.trim() ? { image: { kind: 'folder' as const, path: backboneFolder.trim() } } : {}),
        ...(metadataFields.trim()
          ? {
              metadataFields: metadataFields
                .split(',')
                .map((f) => f.trim())
                .filter(Boolean),
            }
          : {}),
      },
    };
    const parsed = RunConfig.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.join('.');
      setError({ code: 'INVALID_INPUT', message: `${fieldLabel(path)} (${path}): ${issue.message}` });
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
  const text = (label: string, value: string, set: (v: string) => void, placeholder: string) => (
    <label className="field">
      <span>{label}</span>
      <input type="text" value={value} placeholder={placeholder} onChange={(e) => set(e.target.value)} />
    </label>
  );
  return (
    <section className="panel" aria-labelledby="run-form-title">
      <h2 id="run-form-title">New run</h2>
      <p className="muted">
        Trains every method on the dataset&apos;s stored group-aware split and compares them on its test part.
        Runs continue when this window is closed.
      </p>
      <div className="toolbar wrap">
        <label className="field">
          <span>Dataset</span>
          <select
            value={chosen?.id ?? ''}
            disabled={datasets.length === 0}
            onChange={(e) => ws.setDatasetId(Number(e.target.value))}
          >
            {datasets.length === 0 ? <option value="">No dataset: import one first</option> : null}
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.images} images)
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Task</span>
          <select
            value={task?.name ?? ''}
            disabled={tasks.length === 0}
            onChange={(e) => ws.setTask(e.target.value)}
          >
            {tasks.length === 0 ? <option value="">No label task</option> : null}
            {tasks.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} ({t.classes.length} classes)
              </option>
            ))}
          </select>
        </label>
        <div className="field run-augmentation">
          <span>Augmentation</span>
          <span className="static" data-testid="run-augmentation">
            {augmentation?.status === 'ok'
              ? describeDatasetAugmentation(augmentation.value)
              : augmentation?.status === 'error'
                ? `not readable: ${augmentation.error.message}`
                : '…'}
            {onEditAugmentation ? (
              <button type="button" className="link-button" onClick={onEditAugmentation}>
                Edit…
              </button>
            ) : null}
          </span>
        </div>
        <button
          type="button"
          className="button primary"
          disabled={!chosen || !task}
          onClick={() => void submit()}
        >
          {busy ? 'Queue run' : 'Run all methods'}
        </button>
        {busy ? (
          <span className="muted small">
            A run is in progress: a new one waits in the queue and starts when it ends (one run uses every
            core).
          </span>
        ) : null}
      </div>
      <details>
        <summary>Advanced</summary>
        <div className="advanced">
          <fieldset>
            <legend>Data</legend>
            {num(fieldLabel('imageSize'), imageSize, setImageSize, 32)}
            {num(fieldLabel('batchSize'), batchSize, setBatchSize)}
            {num(fieldLabel('seed'), seed, setSeed)}
            {num(fieldLabel('seeds'), seeds, setSeeds)}
          </fieldset>
          <fieldset>
            <legend>Stage 1: fine-tune the image backbone</legend>
            {num(fieldLabel('stage1.epochs'), epochs1, setEpochs1)}
            <label className="field">
              <span>{fieldLabel('stage1.optimizer')}</span>
              <select value={optimizer} onChange={(e) => setOptimizer(e.target.value as 'sgd' | 'adam')}>
                <option value="adam">Adam</option>
                <option value="sgd">SGD + momentum</option>
              </select>
            </label>
            {num(fieldLabel('stage1.lr'), lr, setLr, 0.0001)}
          </fieldset>
          <fieldset>
            <legend>Stage 2 and frozen-feature heads</legend>
            <label className="field">
              <span>{fieldLabel('stage2.head')}</span>
              <select value={head} onChange={(e) => setHead(e.target.value as 'linear' | 'mlp')}>
                <option value="linear">Linear</option>
                <option value="mlp">MLP</option>
              </select>
            </label>
            {num(fieldLabel('stage2.epochs'), epochs2, setEpochs2)}
            {num(fieldLabel('stage2.lr'), lr2, setLr2, 0.001)}
            {num(fieldLabel('heads.epochs'), headEpochs, setHeadEpochs)}
            {num(fieldLabel('heads.lr'), headLr, setHeadLr, 0.001)}
          </fieldset>
          <fieldset>
            <legend>Inputs</legend>
            <label className="field">
              <span>{fieldLabel('encoders.text.kind')}</span>
              <select
                value={textEncoder}
                onChange={(e) => setTextEncoder(e.target.value as 'use-lite' | 'none')}
              >
                <option value="use-lite">Universal Sentence Encoder lite</option>
                <option value="none">None (notes not used)</option>
              </select>
            </label>
            {text(
              fieldLabel('encoders.image.path'),
              backboneFolder,
              setBackboneFolder,
              'built-in MobileNetV2',
            )}
            {text(
              fieldLabel('encoders.metadataFields'),
              metadataFields,
              setMetadataFields,
              'all columns (comma-separated to choose)',
            )}
            {num(fieldLabel('evaluation.views'), views, setViews)}
          </fieldset>
        </div>
        <fieldset className="methods">
          <legend>Methods</legend>
          {runMethods.map((m) => (
            <label key={m} className="check">
              <input
                type="checkbox"
                checked={methods.includes(m)}
                onChange={(e) =>
                  setMethods((all) =>
                    runMethods.filter((x) => (x === m ? e.target.checked : all.includes(x))),
                  )
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
