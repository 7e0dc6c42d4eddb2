import type {
  AssistantModelSource,
  AssistantStatus,
  AssistSimResult,
  QueueMode,
  Suggestion,
} from '../../shared/contract/assistant';
import { AppError } from '../../shared/contract/result';
import type { CatalogService } from '../catalog/catalog-service';
import type { JobRegistry } from '../core/job-registry';
import type { Logger } from '../core/logger';
import { ACTIVE_DEFAULTS } from './assist-sim';
import { readAssistSim } from './assist-sim-store';
import { readAssistantPool, trainablePositions, type AssistantPool } from './assistant-data';
import { standardiseColumns } from './feature-matrix';
import {
  ASSISTANT_SCHEDULE,
  balancedWeights,
  predictSoftmax,
  trainSoftmaxAsync,
  type SoftmaxHead,
} from './softmax-head';
import { coldStartOrder } from './strategies/cold-start';
import { diverseUncertaintyOrder } from './strategies/diverse-uncertainty';
import { uncertaintyOrder } from './strategies/uncertainty';
import { latestRunModel, type RunPredictor } from './run-suggester';

/** Features of images (rows in order) from wherever they are computed: a trainer process in the app. */
export type FeatureSource = (
  items: ReadonlyArray<{ sha256: string; path: string }>,
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
) => Promise<{ x: Float32Array; dim: number }>;

/** Labels per iteration of a warm retrain (all of them below this). */
export const WARM_BATCH_ROWS = 2048;

export interface AssistantServiceOptions {
  catalog: CatalogService;
  logger: Logger;
  features: FeatureSource;
  /** The workspace folder (beside catalog.db): assist-sim results live under it. */
  workspaceDir: string;
  jobs?: JobRegistry;
  /** Quiet time after a label change before the retrain starts (default 300 ms). */
  debounceMs?: number;
  /**
   * Longest a retrain waits while label changes keep coming (default 2000 ms): a labeller pressing
   * a key every 0.2-0.5 s restarts the quiet time each label, and would otherwise get no retrain
   * until they pause.
   */
  maxWaitMs?: number;
  /** Gradient iterations of a retrain: first fit, then warm-started refits (default ASSISTANT_SCHEDULE). */
  iterations?: { first: number; warm: number };
  l2?: number;
  /** Predicts with a finished run's model for `useModel('run')`; without it that answers NOT_SUPPORTED. */
  runs?: RunPredictor;
  /** Finds the run whose model suggests (tests inject one); default the newest finished run. */
  latestRun?: typeof latestRunModel;
}

export interface AssistantService {
  status(q: { datasetId: number; task: string }): AssistantStatus;
  suggestions(q: { datasetId: number; task: string; imageIds?: number[] }): Suggestion[];
  queue(q: { datasetId: number; task: string; mode: QueueMode; className?: string; limit: number }): number[];
  useModel(q: { datasetId: number; task: string; source: AssistantModelSource }): AssistantStatus;
  simulation(q: { datasetId: number; task: string }): Promise<AssistSimResult | null>;
  /** Schedules a debounced background retrain of that dataset and task (if the assistant serves it); at most `maxWaitMs` after the first unserved change. */
  notifyLabelsChanged(datasetId: number, task?: string): void;
  onUpdate(listener: (status: AssistantStatus) => void): () => void;
  /** Resolves when nothing is scheduled or running (tests, shutdown). */
  idle(): Promise<void>;
  dispose(): void;
}

interface Entry {
  status: AssistantStatus;
  pool: AssistantPool | null;
  /** Standardised features, pool row order; null until extracted. */
  x: Float32Array | null;
  dim: number;
  featureOf: Map<string, number>;
  head: SoftmaxHead | null;
  /** Probabilities of every pool row under `head`. */
  probs: Float32Array | null;
  timer: NodeJS.Timeout | null;
  /** When the first label change not yet retrained on came in (Date.now()); null when none. */
  pendingSince: number | null;
  work: Promise<void> | null;
  again: boolean;
  abort: AbortController;
  version: number;
  source: AssistantModelSource;
  /** A run model's probabilities of the pool (by run and image content), computed once. */
  runCache: { key: string; probs: Float32Array } | null;
}

/**
 * The labeling assistant per dataset and task: features once per image content (in the trainer
 * process), then a softmax head retrained in the background a moment after each label change,
 * on labeled images of the TRAIN part of the stored split only (never validation or test), so
 * every evaluation stays honest. Retraining yields to the event loop after every pass over the
 * labels; suggestions and queues are computed from the cached probabilities.
 */
export const createAssistantService = (o: AssistantServiceOptions): AssistantService => {
  const entries = new Map<string, Entry>();
  const listeners = new Set<(s: AssistantStatus) => void>();
  const debounceMs = o.debounceMs ?? 300;
  const maxWaitMs = Math.max(o.maxWaitMs ?? 2000, debounceMs);
  // After a label change the previous model is nearly optimal: 15 warm iterations (the simulation's
  // 30 are for batches of 20 new labels).
  const iterations = o.iterations ?? { first: ASSISTANT_SCHEDULE.first, warm: 15 };
  const latestRun = o.latestRun ?? latestRunModel;
  const keyOf = (datasetId: number, task: string) => `${datasetId}\u0000${task}`;

  const publish = (e: Entry, patch: Partial<AssistantStatus>) => {
    e.status = { ...e.status, ...patch };
    if (patch.state !== 'unavailable' && patch.state !== undefined) delete e.status.reason;
    if (patch.reason !== undefined) e.status.reason = patch.reason;
    for (const l of listeners) l(e.status);
  };

  const refresh = async (e: Entry): Promise<void> => {
    const { datasetId, task } = e.status;
    const pool = readAssistantPool(o.catalog, datasetId, task);
    e.pool = pool;
    const missing = pool.rows.some((r) => !e.featureOf.has(r.sha256));
    if (missing || !e.x) {
      publish(e, { state: 'extracting', featuresDone: 0, featuresTotal: pool.rows.length });
      const raw = await o.features(
        pool.rows,
        (done, total) => publish(e, { featuresDone: done, featuresTotal: total }),
        e.abort.signal,
      );
      e.x = standardiseColumns(raw.x, pool.rows.length, raw.dim);
      e.dim = raw.dim;
      e.featureOf = new Map(pool.rows.map((r, i) => [r.sha256, i]));
      e.head = null;
    } else {
      // Same images, maybe in another order: re-index the standardised rows.
      const order = pool.rows.map((r) => e.featureOf.get(r.sha256)!);
      if (order.some((p, i) => p !== i)) {
        const x = new Float32Array(pool.rows.length * e.dim);
        order.forEach((p, i) => x.set(e.x!.subarray(p * e.dim, (p + 1) * e.dim), i * e.dim));
        e.x = x;
        e.featureOf = new Map(pool.rows.map((r, i) => [r.sha256, i]));
      }
    }
    publish(e, { featuresDone: pool.rows.length, featuresTotal: pool.rows.length });
    if (e.source === 'run') return suggestWithRun(e, pool);
    const rows = trainablePositions(pool);
    const y = Int32Array.from(rows, (r) => pool.rows[r]!.label!);
    const present = new Set(y).size;
    if (present < 2) {
      e.head = null;
      e.probs = null;
      publish(e, {
        state: 'idle',
        labeled: rows.length,
        model: null,
        reason: 'needs labels of at least two classes in the training part of the split',
      });
      return;
    }
    publish(e, { state: 'training', labeled: rows.length });
    const started = performance.now();
    const head = await trainSoftmaxAsync(e.x!, e.dim, rows, y, {
      classes: pool.classes.length,
      l2: o.l2 ?? 1e-2,
      iterations: e.head ? iterations.warm : iterations.first,
      // Warm retrains take seeded mini-batches of 2,048 labels per iteration: a fixed cost at any size.
      batchRows: e.head ? WARM_BATCH_ROWS : undefined,
      seed: e.version + 1,
      warm: e.head,
      classWeights: balancedWeights(y, pool.classes.length),
      signal: e.abort.signal,
    });
    if (!head) return;
    e.head = head;
    // Every row's probabilities, 1,000 rows at a time with a yield between (no long stall at 10k).
    const probs = new Float32Array(pool.rows.length * pool.classes.length);
    for (let start = 0; start < pool.rows.length; start += 1000) {
      const part = pool.rows.slice(start, start + 1000).map((_, i) => start + i);
      probs.set(predictSoftmax(head, e.x!, part), start * pool.classes.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (e.abort.signal.aborted) return;
    }
    e.probs = probs;
    e.version++;
    publish(e, {
      state: 'ready',
      lastRetrainMs: Math.round(performance.now() - started),
      model: {
        id: `features-${datasetId}-${e.version}`,
        source: 'features',
        trainedAt: new Date().toISOString(),
        trainedOn: rows.length,
      },
    });
  };

  /** `useModel('run')`: the newest finished run's stage-1 model suggests; no retraining. */
  const suggestWithRun = async (e: Entry, pool: AssistantPool): Promise<void> => {
    const m = latestRun(o.catalog, e.status.datasetId, e.status.task);
    const key = `${m.runId}:${pool.rows.map((r) => r.sha256).join(',')}`;
    if (e.runCache?.key !== key) {
      publish(e, { state: 'training' });
      const out = await o.runs!(
        m.modelDir,
        pool.rows.map((r) => r.path),
      );
      const c = pool.classes.length;
      const probs = new Float32Array(pool.rows.length * c);
      const at = pool.classes.map((name) => out.classes.indexOf(name));
      out.probs.forEach((row, i) => at.forEach((j, k) => (probs[i * c + k] = j < 0 ? 0 : row[j]!)));
      e.runCache = { key, probs };
    }
    e.probs = e.runCache.probs;
    e.version++;
    publish(e, {
      state: 'ready',
      labeled: trainablePositions(pool).length,
      model: {
        id: `run-${m.runId}`,
        source: 'run',
        runId: m.runId,
        method: 'stage1_image',
        trainedAt: m.finishedAt,
        trainedOn: m.trainedOn,
      },
    });
  };

  const run = (e: Entry): void => {
    if (e.work) {
      e.again = true;
      return;
    }
    e.work = (async () => {
      do {
        e.again = false;
        try {
          await refresh(e);
        } catch (err) {
          if (e.abort.signal.aborted) return;
          o.logger.warn(
            'assistant',
            `dataset ${e.status.datasetId}: assistant update failed (${(err as Error).message})`,
          );
          publish(e, { state: 'unavailable', reason: (err as Error).message });
        }
      } while (e.again && !e.abort.signal.aborted);
    })().finally(() => (e.work = null));
  };

  const entry = (datasetId: number, task: string): Entry => {
    const key = keyOf(datasetId, task);
    let e = entries.get(key);
    if (!e) {
      // Fails fast (typed NOT_FOUND) on an unknown dataset or task.
      readAssistantPool(o.catalog, datasetId, task);
      e = {
        status: {
          datasetId,
          task,
          state: 'idle',
          labeled: 0,
          featuresDone: 0,
          featuresTotal: 0,
          model: null,
          lastRetrainMs: null,
        },
        pool: null,
        x: null,
        dim: 0,
        featureOf: new Map(),
        head: null,
        probs: null,
        timer: null,
        pendingSince: null,
        work: null,
        again: false,
        abort: new AbortController(),
        version: 0,
        source: 'features',
        runCache: null,
      };
      entries.set(key, e);
      run(e);
    }
    return e;
  };

  const suggestionOf = (e: Entry, pos: number): Suggestion => {
    const classes = e.pool!.classes;
    const c = classes.length;
    const p = e.probs!.subarray(pos * c, (pos + 1) * c);
    let best = 0;
    for (let k = 1; k < c; k++) if (p[k]! > p[best]!) best = k;
    return {
      imageId: e.pool!.rows[pos]!.id,
      label: classes[best]!,
      p: p[best]!,
      probs: Object.fromEntries(classes.map((name, k) => [name, p[k]!])),
      modelId: e.status.model!.id,
    };
  };

  return {
    status: ({ datasetId, task }) => entry(datasetId, task).status,
    suggestions({ datasetId, task, imageIds }) {
      const e = entry(datasetId, task);
      if (!e.probs || !e.pool || !e.status.model) return [];
      const posOf = new Map(e.pool.rows.map((r, i) => [r.id, i]));
      const positions = imageIds
        ? imageIds.flatMap((id) => (posOf.has(id) ? [posOf.get(id)!] : []))
        : e.pool.rows.flatMap((r, i) => (r.label === null ? [i] : []));
      return positions.map((p) => suggestionOf(e, p));
    },
    queue({ datasetId, task, mode, className, limit }) {
      const e = entry(datasetId, task);
      if (!e.pool) return [];
      const unlabeled = e.pool.rows.flatMap((r, i) => (r.label === null ? [i] : []));
      const ids = (positions: number[]) => positions.map((p) => e.pool!.rows[p]!.id);
      if (mode === 'import') return ids(unlabeled.slice(0, limit));
      if (mode === 'class') {
        if (!e.probs) return [];
        const k = e.pool.classes.indexOf(className ?? '');
        if (k < 0) throw new AppError('INVALID_INPUT', `task "${task}" has no class "${className}"`);
        const c = e.pool.classes.length;
        const probs = e.probs;
        const top = (p: number) => {
          let best = 0;
          for (let j = 1; j < c; j++) if (probs[p * c + j]! > probs[p * c + best]!) best = j;
          return best;
        };
        return ids(
          unlabeled
            .filter((p) => top(p) === k)
            .sort((a, b) => probs[b * c + k]! - probs[a * c + k]! || a - b)
            .slice(0, limit),
        );
      }
      if (!e.x)
        return ids(
          e.probs
            ? uncertaintyOrder(e.probs, e.pool.classes.length, unlabeled, limit)
            : unlabeled.slice(0, limit),
        );
      if (!e.probs) return ids(coldStartOrder(e.x, e.dim, unlabeled, limit));
      const labeled = e.pool.rows.flatMap((r, i) => (r.label !== null ? [i] : []));
      return ids(
        diverseUncertaintyOrder(e.x, e.dim, e.probs, e.pool.classes.length, unlabeled, labeled, limit, {
          ...ACTIVE_DEFAULTS.diverse,
          seed: e.version,
        }),
      );
    },
    useModel({ datasetId, task, source }) {
      const e = entry(datasetId, task);
      if (source === 'run') {
        if (!o.runs) throw new AppError('NOT_SUPPORTED', 'run models cannot suggest in this build');
        latestRun(o.catalog, datasetId, task); // typed NOT_FOUND when there is none
      }
      if (source !== e.source) {
        e.source = source;
        e.head = null;
        run(e);
      }
      return e.status;
    },
    simulation: ({ datasetId, task }) => readAssistSim(o.workspaceDir, datasetId, task),
    notifyLabelsChanged(datasetId, task) {
      for (const e of entries.values()) {
        if (e.status.datasetId !== datasetId || (task !== undefined && e.status.task !== task)) continue;
        if (e.timer) clearTimeout(e.timer);
        const now = Date.now();
        e.pendingSince ??= now;
        // Quiet time after the last change, but never later than maxWaitMs after the first one.
        const delay = Math.max(0, Math.min(debounceMs, e.pendingSince + maxWaitMs - now));
        e.timer = setTimeout(() => {
          e.timer = null;
          e.pendingSince = null;
          run(e);
        }, delay);
      }
    },
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async idle() {
      for (;;) {
        const busy = [...entries.values()].filter((e) => e.work || e.timer);
        if (busy.length === 0) return;
        await Promise.all(busy.map((e) => e.work ?? new Promise((r) => setTimeout(r, debounceMs + 1))));
      }
    },
    dispose() {
      for (const e of entries.values()) {
        if (e.timer) clearTimeout(e.timer);
        e.abort.abort();
      }
      listeners.clear();
    },
  };
};
