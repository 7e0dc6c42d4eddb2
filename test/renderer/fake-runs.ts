import type {
  CallChannel,
  CallParsedInput,
  Result,
  RunDetail,
  RunListItem,
  RunPrediction,
} from '../../shared/contract/index';
import { classificationMetrics } from '../../shared/metrics/classification-metrics';
import { RunConfig, type RunMethod } from '../../shared/run/run-config';
import type { MethodResult, RunSummary } from '../../shared/run/run-result';
import type { RunCurvePoint } from '../../shared/run/run-progress';
import type { createFakeCatalog } from './fake-catalog';

type Answer = (input: unknown) => Result<unknown>;
type Part = 'validation' | 'test';

export const RUN_CLASSES = ['benign', 'malignant', 'normal'];

/**
 * The finished run's images: 1–6 validation, 7–12 test, labelled benign, benign, malignant,
 * malignant, normal, normal in each part.
 */
export const runImages: ReadonlyArray<{ imageId: number; part: Part; truth: number }> = Array.from(
  { length: 12 },
  (_, i) => ({ imageId: i + 1, part: i < 6 ? 'validation' : 'test', truth: Math.floor((i % 6) / 2) }),
);

/**
 * What each method predicted for images 1–12 and how confident it was. Stage 1 calls image 4
 * (malignant) normal at 0.95 and, on test, image 8 (benign) malignant at 0.9 and image 10
 * (malignant) benign at 0.65; the proposed method gets image 10 wrong only; note-only is poor.
 */
// prettier-ignore
export const runPredicted: Partial<Record<RunMethod, Array<[number, number]>>> = {
  stage1_image: [
    [0, 0.8], [0, 0.7], [1, 0.75], [2, 0.95], [2, 0.85], [2, 0.8],
    [0, 0.85], [1, 0.9], [1, 0.7], [0, 0.65], [2, 0.9], [2, 0.75],
  ],
  proposed: [
    [0, 0.85], [0, 0.8], [1, 0.8], [1, 0.7], [2, 0.9], [2, 0.85],
    [0, 0.9], [0, 0.8], [1, 0.85], [0, 0.55], [2, 0.9], [2, 0.8],
  ],
  note_only: [
    [0, 0.5], [1, 0.45], [1, 0.5], [2, 0.4], [2, 0.6], [0, 0.5],
    [1, 0.5], [0, 0.45], [1, 0.6], [2, 0.5], [0, 0.4], [2, 0.55],
  ],
};

const probsOf = ([k, c]: [number, number]): number[] =>
  RUN_CLASSES.map((_, j) => (j === k ? c : (1 - c) / 2));

/** Every stored prediction of the finished run, as run:predictions would answer (unsorted). */
export const runPredictionRows = (): RunPrediction[] =>
  Object.entries(runPredicted).flatMap(([method, rows]) =>
    runImages.map((img, i) => {
      const probs = probsOf(rows![i]!);
      const predicted = rows![i]![0];
      return {
        imageId: img.imageId,
        file: `img-${String(img.imageId).padStart(3, '0')}.png`,
        method: method as RunMethod,
        split: img.part,
        probs,
        predicted: RUN_CLASSES[predicted]!,
        actual: RUN_CLASSES[img.truth]!,
        correct: predicted === img.truth,
        confidence: Math.max(...probs),
      };
    }),
  );

const summaryOf = (runId: number, labelVersion: number): RunSummary => {
  const methods: Partial<Record<RunMethod, MethodResult>> = {};
  for (const [method, rows] of Object.entries(runPredicted)) {
    const metrics = (part: Part) => {
      const idx = runImages.flatMap((img, i) => (img.part === part ? [i] : []));
      return classificationMetrics(
        idx.map((i) => runImages[i]!.truth),
        idx.map((i) => probsOf(rows![i]!)),
        RUN_CLASSES.length,
      );
    };
    methods[method as RunMethod] = {
      validation: metrics('validation'),
      test: metrics('test'),
      bestEpoch: 3,
      seedSpread: null,
    };
  }
  return {
    runId,
    createdAt: '2026-11-28T10:00:00.000Z',
    status: 'succeeded',
    dataset: 'busi',
    task: 'label',
    classes: RUN_CLASSES,
    config: RunConfig.parse({
      dataset: 'busi',
      task: 'label',
      methods: ['stage1_image', 'proposed', 'note_only', 'metadata_only'],
    }),
    backend: 'wasm (2 wasm replica threads)',
    labelVersion,
    split: {
      id: 1,
      name: 'default',
      groupedBy: 'patient',
      counts: {
        train: { benign: 20, malignant: 10, normal: 8 },
        validation: { benign: 2, malignant: 2, normal: 2 },
        test: { benign: 2, malignant: 2, normal: 2 },
      },
    },
    methods,
    skipped: { metadata_only: 'no metadata column is left once label proxies are removed' },
    notices: ['metadata column "birads" left out: it predicts the label almost perfectly'],
    timing: { stage1: 120.5, stage2: 30.25, total: 161 },
  };
};

/**
 * Runs behind the fake API, over a fake catalog's images 1–12: run 3 finished (three methods,
 * one skipped, one notice), and whatever the screen starts (queued, then driven by the test's
 * status events). Stale once the catalog's history grows after the run was made.
 */
export const createFakeRuns = (catalog: ReturnType<typeof createFakeCatalog>) => {
  for (const img of runImages)
    catalog.answers['catalog:setLabels']!({
      imageId: img.imageId,
      task: 'label',
      labels: [RUN_CLASSES[img.truth]!],
      user: 'importer',
      reason: '',
    });
  const labelVersion = catalog.history.length;
  const finished = 3;
  const summary = summaryOf(finished, labelVersion);
  const rows = runPredictionRows();
  const runs: Array<RunListItem & { config: RunDetail['config']; labelVersion: number }> = [
    {
      runId: finished,
      datasetId: 1,
      dataset: 'busi',
      task: 'label',
      status: 'succeeded',
      createdAt: '2026-11-28T10:00:00.000Z',
      finishedAt: '2026-11-28T10:02:41.000Z',
      backend: summary.backend,
      error: null,
      headline: { method: 'proposed', testAccuracy: summary.methods.proposed!.test.accuracy, macroF1: 0.8 },
      stale: false,
      config: summary.config,
      labelVersion,
    },
  ];
  const item = (r: (typeof runs)[number]): RunListItem => {
    const { config: _config, labelVersion: version, ...rest } = r;
    return { ...rest, stale: catalog.history.length > version };
  };
  const find = (runId: number) => runs.find((r) => r.runId === runId);
  const missing = (runId: number): Result<never> => ({
    ok: false,
    error: { code: 'NOT_FOUND', message: `no run ${runId}` },
  });
  const reports: Array<{ path: string; format: string }> = [];
  /** What run:curves answers per run (the test stores points as main would). */
  const curves: Record<number, RunCurvePoint[]> = {};
  const answers: Partial<Record<CallChannel, Answer>> = {
    'run:list': () => ({ ok: true, value: runs.map(item).sort((a, b) => b.runId - a.runId) }),
    'run:get': (input) => {
      const r = find((input as CallParsedInput<'run:get'>).runId);
      if (!r) return missing((input as CallParsedInput<'run:get'>).runId);
      return {
        ok: true,
        value: { ...item(r), config: r.config, summary: r.runId === finished ? summary : null },
      };
    },
    'run:start': (input) => {
      const { config } = input as CallParsedInput<'run:start'>;
      const runId = Math.max(...runs.map((r) => r.runId)) + 1;
      runs.push({
        runId,
        datasetId: 1,
        dataset: config.dataset,
        task: config.task ?? 'label',
        status: 'queued',
        createdAt: '2026-11-28T11:00:00.000Z',
        finishedAt: null,
        backend: null,
        error: null,
        headline: null,
        stale: false,
        config,
        labelVersion: catalog.history.length,
      });
      return { ok: true, value: { runId } };
    },
    'run:cancel': (input) => {
      const r = find((input as CallParsedInput<'run:cancel'>).runId);
      return { ok: true, value: { cancelled: r?.status === 'running' || r?.status === 'queued' } };
    },
    'run:resume': (input) => {
      const { runId } = input as CallParsedInput<'run:resume'>;
      const r = find(runId);
      if (!r) return missing(runId);
      r.status = 'running';
      return { ok: true, value: { runId } };
    },
    'run:predictions': (input) => {
      const q = input as CallParsedInput<'run:predictions'>;
      if (q.runId !== finished) return { ok: true, value: [] };
      const picked = rows
        .filter((p) => (q.method ? p.method === q.method : true))
        .filter((p) => (q.split ? p.split === q.split : true))
        .filter((p) => (q.wrongOnly ? p.correct === false : true))
        .sort((a, b) => b.confidence - a.confidence || a.imageId - b.imageId);
      return { ok: true, value: picked.slice(q.offset, q.offset + q.limit) };
    },
    'run:saliency': (input) => {
      const q = input as CallParsedInput<'run:saliency'>;
      if (!find(q.runId)) return missing(q.runId);
      if (q.runId !== finished)
        return { ok: false, error: { code: 'CONFLICT', message: `run ${q.runId} has not finished` } };
      const row = runPredicted.stage1_image![q.imageId - 1];
      if (!row)
        return { ok: false, error: { code: 'NOT_FOUND', message: `image ${q.imageId} is not part of run` } };
      const classIndex = q.classIndex ?? (q.label ? RUN_CLASSES.indexOf(q.label) : row[0]);
      if (classIndex < 0 || classIndex >= RUN_CLASSES.length)
        return {
          ok: false,
          error: { code: 'INVALID_INPUT', message: `class ${classIndex} is out of range` },
        };
      // Class 1 (malignant) has no positive evidence anywhere in these fake maps.
      const peak = classIndex === 1 ? 0 : 0.8;
      return {
        ok: true,
        value: {
          runId: q.runId,
          imageId: q.imageId,
          method: 'stage1_image',
          classIndex,
          label: RUN_CLASSES[classIndex]!,
          probs: probsOf(row),
          predictedIndex: row[0],
          size: 160,
          imagePng: btoa(`input-${q.imageId}`),
          heatmapPng: btoa(`heat-${q.imageId}-${classIndex}`),
          grid: { width: 2, height: 2, values: peak > 0 ? [0, 1, 0.5, 0.25] : [0, 0, 0, 0] },
          peak,
        },
      };
    },
    'run:curves': (input) => {
      const { runId } = input as CallParsedInput<'run:curves'>;
      return find(runId) ? { ok: true, value: curves[runId] ?? [] } : missing(runId);
    },
    'run:intervals': (input) => {
      // Wide intervals (±25 points, clipped), as six test images give: nothing separates.
      const q = input as CallParsedInput<'run:intervals'>;
      if (q.runId !== finished) return { ok: false, error: { code: 'CONFLICT', message: 'no results yet' } };
      const iv = (v: number) => ({ value: v, lo: Math.max(0, v - 0.25), hi: Math.min(1, v + 0.25) });
      const methods = Object.fromEntries(
        Object.entries(summary.methods).map(([m, r]) => {
          const part = r![q.split];
          return [
            m,
            {
              n: part.n,
              accuracy: iv(part.accuracy),
              balancedAccuracy: iv(part.balancedAccuracy),
              macroF1: iv(part.macroF1),
            },
          ];
        }),
      );
      return {
        ok: true,
        value: { runId: q.runId, split: q.split, resamples: q.resamples, seed: q.seed, level: 0.95, methods },
      };
    },
    'run:exportReport': (input) => {
      const q = input as CallParsedInput<'run:exportReport'>;
      reports.push({ path: q.path, format: q.format });
      return { ok: true, value: { path: q.path, bytes: 2048 } };
    },
  };
  /** Sets a run's status as main would (the test then emits run:onStatus). */
  const setStatus = (runId: number, status: RunListItem['status'], error: string | null = null) => {
    const r = find(runId)!;
    r.status = status;
    r.error = error;
  };
  return { answers, runs, reports, curves, summary, setStatus, finished };
};
