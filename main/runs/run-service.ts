import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunDetail, RunListItem, RunPrediction, RunSaliency } from '../../shared/contract/run';
import { AppError } from '../../shared/contract/result';
import { RunConfig, type RunConfigInput, type RunMethod } from '../../shared/run/run-config';
import type { RunCurvePoint, RunProgress } from '../../shared/run/run-progress';
import type { Misclassified } from '../../shared/run/run-result';
import {
  createCatalogAugmentations,
  withDatasetAugmentation,
  type CatalogAugmentations,
} from '../catalog/catalog-augmentations';
import type { CatalogService } from '../catalog/catalog-service';
import { writeFileAtomic } from '../engine/train/checkpoint-file';
import type { FromTrainerOf } from '../engine/trainer/trainer-protocol';
import {
  createTrainerSupervisor,
  type TrainerRun,
  type TrainerSupervisor,
} from '../engine/trainer/trainer-supervisor';
import { renderValidationReportCsv, renderValidationReportHtml } from '../report/validation-report';
import type { JobHandle, JobRegistry } from '../core/job-registry';
import type { Logger } from '../core/logger';
import { buildRunManifest, type PreparedRun } from './build-run-manifest';
import { createCurveWriter, readCurves } from './run-curves';
import { PredictionRow, RunJobResult } from './run-job-result';
import { createRunSaliency, type RunSaliencyOptions } from './run-saliency';
import { fromSnapshot, snapshotChanges, toSnapshot } from './run-snapshot';
import { createRunStore, type RunRecord } from './run-store';
import { buildRunSummary, labelRuleNotice, toListItem } from './run-summary';
import { mkdirPrivate, writeFilePrivate } from '../security/private-files';

export interface RunServiceOptions {
  catalog: CatalogService;
  logger: Logger;
  jobs?: JobRegistry;
  /** Where run folders go; default `<catalog folder>/<catalog name>-runs` (one per catalog file). */
  runsRoot?: string;
  /** Injected in tests; default a supervisor forking the trainer entry. */
  supervisor?: TrainerSupervisor;
  /** Data-parallel replica threads per run (default: the trainer's choice). */
  replicas?: number;
  /** Loads an exported model for `run:saliency` (injected in tests; default tfjs on first use). */
  loadSaliencyModel?: RunSaliencyOptions['load'];
  /**
   * Runs training at once (default 1: a run uses every core, two would only halve each other's
   * speed and double memory); later starts and resumes wait in a first-in, first-out queue.
   */
  maxActive?: number;
}

/**
 * Runs as the app and the CLI start them: prepares the manifest from the catalog, starts the
 * two-stage job in a trainer process, turns its messages into `run:onProgress` / `run:onStatus`
 * events and a background job, and stores the results (summary + per-image predictions) in the
 * catalog in one transaction. Runs left `running` by a killed app are marked failed (resumable)
 * when the service starts.
 */
export const createRunService = (options: RunServiceOptions) => {
  const { catalog, logger } = options;
  const store = createRunStore(catalog.db());
  const supervisor = options.supervisor ?? createTrainerSupervisor();
  const runsRoot =
    options.runsRoot ??
    join(dirname(catalog.dbPath), `${basename(catalog.dbPath).replace(/\.db$/i, '')}-runs`);
  const active = new Map<number, { run: TrainerRun; job: JobHandle | undefined; done: Promise<void> }>();
  const maxActive = Math.max(1, options.maxActive ?? 1);
  /** Runs waiting for a free slot, oldest first. */
  const queue: Array<{ record: RunRecord; resume: boolean; built?: PreparedRun }> = [];
  /** Resolves when a run started or queued by this service has ended (for `wait`). */
  const settled = new Map<number, { promise: Promise<void>; resolve: () => void }>();
  const settle = (id: number) => {
    settled.get(id)?.resolve();
    settled.delete(id);
  };
  const track = (id: number) => {
    if (settled.has(id)) return;
    let resolve = () => undefined as void;
    const promise = new Promise<void>((r) => (resolve = r));
    settled.set(id, { promise, resolve });
  };
  const progressListeners = new Set<(p: RunProgress) => void>();
  const statusListeners = new Set<
    (s: { runId: number; status: RunListItem['status']; error: string | null }) => void
  >();
  const curveWriter = createCurveWriter((runDir, e) =>
    logger.warn('run', `a curve point could not be stored in ${basename(runDir)}: ${e.message}`),
  );
  const saliency = createRunSaliency({
    run: (id) => store.get(id),
    imagePath: (id) => catalog.filePath(id),
    load: options.loadSaliencyModel,
  });
  const emitStatus = (runId: number, status: RunListItem['status'], error: string | null = null) => {
    for (const l of [...statusListeners]) l({ runId, status, error });
  };

  for (const r of store.list())
    if (r.status === 'running' || r.status === 'queued')
      store.setStatus(r.id, 'failed', {
        error:
          r.status === 'queued'
            ? 'interrupted: SonoFuse stopped while this run waited in the queue; resume it to start'
            : 'interrupted: SonoFuse stopped while this run trained; resume it to continue',
      });

  let storedAugmentations: CatalogAugmentations | null = null;
  const augmentations = () => (storedAugmentations ??= createCatalogAugmentations(catalog.db()));

  const datasetName = (id: number) => catalog.datasets().find((d) => d.id === id)?.name ?? `dataset ${id}`;

  /**
   * The run's frozen snapshot as a prepared run: what it trains, resumes and reports on. A run
   * from before snapshots gets one frozen from the catalog now, at its first launch since.
   */
  const frozen = (record: RunRecord): PreparedRun => {
    const stored = store.snapshot(record.id);
    if (stored) return fromSnapshot(stored);
    const prepared = buildRunManifest(catalog, record.config);
    store.setSnapshot(record.id, toSnapshot(prepared, new Date().toISOString()));
    logger.warn('run', `run ${record.id} had no stored snapshot; froze the catalog's current state for it`);
    return prepared;
  };

  /** Stale: images of the run's snapshot changed since (no snapshot: labels changed anywhere). */
  const catalogChangesOf = (record: RunRecord) => {
    const snapshot = store.snapshot(record.id);
    return snapshot ? snapshotChanges(catalog, snapshot) : null;
  };
  const staleOf = (record: RunRecord, version: number): boolean => {
    const changes = catalogChangesOf(record);
    return changes ? changes.total > 0 : version > record.labelVersion;
  };

  const prepare = (record: RunRecord, built?: PreparedRun) => {
    const prepared = built ?? frozen(record);
    mkdirPrivate(record.runDir);
    const manifestPath = join(record.runDir, 'manifest.json');
    writeFilePrivate(manifestPath, JSON.stringify({ runId: record.id, ...prepared.manifest }));
    return { prepared, manifestPath };
  };

  const launch = async (record: RunRecord, resume: boolean, built?: PreparedRun): Promise<void> => {
    // A new run id never has files: anything there is left from another catalog with the same path.
    if (!resume) rmSync(record.runDir, { recursive: true, force: true });
    const { prepared, manifestPath } = prepare(record, built);
    const notices = prepared.manifest.excludedColumns.map(
      (c) => `metadata column "${c.name}" left out: ${c.reason}`,
    );
    if (prepared.labelRule) notices.push(labelRuleNotice(prepared.labelRule));
    if (prepared.unlabeled > 0)
      notices.push(`${prepared.unlabeled} image(s) without a label for "${prepared.task}" were left out`);
    const job = options.jobs?.start({
      kind: 'run',
      title: `Run ${record.id} on ${datasetName(record.datasetId)}`,
      cancellable: true,
    });
    const run = await supervisor.start(
      { id: `run-${record.id}`, kind: 'two-stage-run', config: { manifestPath, replicas: options.replicas } },
      { runDir: record.runDir, resume, backendOrder: record.config.backends },
    );
    job?.signal.addEventListener('abort', () => run.cancel());
    store.setStatus(record.id, 'running');
    emitStatus(record.id, 'running');
    let backend = 'starting';
    run.on('ready', (m) => {
      backend = m.backend;
      store.setStatus(record.id, 'running', { backend });
    });
    run.on('log', (m: FromTrainerOf<'log'>) => logger.info('run', `run ${record.id}: ${m.message}`));
    run.on('progress', ({ progress: p }) => {
      if (p.stage === 'train') return; // a plain fit's stage: never sent by a run's job
      job?.progress(
        p.batch,
        p.batchesPerEpoch || null,
        `${p.stage} ${p.method ?? ''} epoch ${p.epoch}/${p.epochs}`,
        // The trainer's ETA, the one the Training screen shows: one ETA source.
        p.etaSeconds !== null && p.etaSeconds >= 0 ? p.etaSeconds : null,
      );
      const payload: RunProgress = {
        runId: record.id,
        seed: p.seed ?? record.config.seed,
        stage: p.stage,
        method: p.method ?? null,
        epoch: Math.max(0, p.epoch),
        epochs: Math.max(0, p.epochs),
        batch: Math.max(0, p.batch),
        batches: Math.max(0, p.batchesPerEpoch),
        imagesPerSecond: p.imagesPerSecond > 0 ? p.imagesPerSecond : null,
        etaSeconds: p.etaSeconds !== null && p.etaSeconds >= 0 ? p.etaSeconds : null,
        backend,
        curve:
          p.curve && p.method
            ? {
                method: p.method,
                epoch: Math.max(1, p.curve.epoch),
                trainLoss: p.curve.trainLoss,
                trainAccuracy: null,
                validationLoss: p.curve.validationLoss,
                validationAccuracy: p.curve.validationAccuracy,
              }
            : null,
      };
      if (payload.curve) curveWriter.append(record.runDir, { ...payload.curve, seed: payload.seed });
      for (const l of [...progressListeners]) l(payload);
    });
    const done = run.outcome.then(async (outcome) => {
      active.delete(record.id);
      await curveWriter.flush(record.runDir);
      if (outcome.status === 'completed') {
        try {
          const result = RunJobResult.parse(outcome.result);
          const predictions = PredictionRow.array().parse(
            JSON.parse(await readFile(result.predictionsFile, 'utf8')),
          );
          const classes = prepared.manifest.classes;
          const actual = new Map(prepared.manifest.items.map((i) => [i.imageId, classes[i.label]!]));
          const summary = buildRunSummary(
            record,
            { ...prepared, classes, dataset: record.config.dataset },
            result,
            [...notices, ...result.notices],
          );
          store.complete(record.id, summary, predictions, classes, actual);
          job?.succeed(`finished in ${Math.round(result.timing.total ?? 0)} s`);
          emitStatus(record.id, 'succeeded');
        } catch (e) {
          const message = `results could not be stored: ${(e as Error).message}`;
          store.setStatus(record.id, 'failed', { error: message });
          job?.fail(message);
          emitStatus(record.id, 'failed', message);
        }
      } else if (outcome.status === 'cancelled') {
        store.setStatus(record.id, 'cancelled');
        logger.info('run', `run ${record.id} cancelled; resume continues from its last checkpoint`);
        logger.info('run', `run ${record.id} cancelled; resume continues from its last checkpoint`);
        job?.cancelled('cancelled; resume continues from the last checkpoint');
        emitStatus(record.id, 'cancelled');
      } else {
        const message = `${outcome.error.code}: ${outcome.error.message}`;
        store.setStatus(record.id, 'failed', { error: message });
        job?.fail(message.slice(0, 300));
        logger.error('run', `run ${record.id} failed (${outcome.error.code})`);
        emitStatus(record.id, 'failed', message);
      }
      settle(record.id);
      pump();
    });
    active.set(record.id, { run, job, done });
  };

  /** Starts queued runs while a slot is free; a run that cannot start is marked failed. */
  const pump = (): void => {
    while (active.size < maxActive && queue.length > 0) {
      const next = queue.shift()!;
      launch(next.record, next.resume, next.built).catch((e: unknown) => {
        const message = `could not start: ${(e as Error).message}`;
        store.setStatus(next.record.id, 'failed', { error: message });
        emitStatus(next.record.id, 'failed', message);
        settle(next.record.id);
        pump();
      });
    }
  };

  /** Launches now when a slot is free, else queues (status `queued`, in order). */
  const schedule = async (record: RunRecord, resume: boolean, built?: PreparedRun): Promise<void> => {
    track(record.id);
    if (active.size < maxActive && queue.length === 0) {
      try {
        await launch(record, resume, built);
      } catch (e) {
        settle(record.id);
        throw e;
      }
      return;
    }
    queue.push({ record, resume, built });
    store.setStatus(record.id, 'queued');
    emitStatus(record.id, 'queued');
    logger.info(
      'run',
      `run ${record.id} queued behind ${active.size} running and ${queue.length - 1} queued`,
    );
  };

  const detail = (id: number): RunDetail => {
    const r = store.get(id);
    const catalogChanges = catalogChangesOf(r);
    return {
      ...toListItem(
        r,
        datasetName(r.datasetId),
        catalogChanges ? catalogChanges.total > 0 : store.labelVersion() > r.labelVersion,
      ),
      config: r.config,
      summary: r.summary,
      catalogChanges,
    };
  };

  const misclassified = (runId: number): Misclassified[] =>
    store.predictions({ runId, wrongOnly: true, limit: 5000 }).map((p) => ({
      imageId: p.imageId,
      file: p.file,
      method: p.method,
      split: p.split,
      trueLabel: p.actual ?? '',
      predicted: p.predicted,
      confidence: p.confidence,
    }));

  return {
    /** Validates the config, records the run and starts it; resolves once the trainer is launched. */
    async start(input: RunConfigInput | RunConfig): Promise<{ runId: number }> {
      const parsed = RunConfig.safeParse(input);
      if (!parsed.success)
        throw new AppError('INVALID_INPUT', `invalid run config: ${parsed.error.issues[0]?.message}`);
      const dataset = catalog.datasets().find((d) => d.name === parsed.data.dataset);
      // The dataset's saved augmentation (Augmentation screen) unless the caller chose one.
      const config = dataset
        ? withDatasetAugmentation(augmentations(), dataset.id, parsed.data, input)
        : parsed.data;
      const prepared = buildRunManifest(catalog, config); // fails early on a bad dataset/task/split
      const record = store.create({
        datasetId: prepared.datasetId,
        splitId: prepared.splitId,
        task: prepared.task,
        config: { ...config, splitId: prepared.splitId },
        runDir: (id) => join(runsRoot, `run-${id}`),
        snapshot: toSnapshot(prepared, new Date().toISOString()),
      });
      await schedule(record, false, prepared);
      return { runId: record.id };
    },
    async resume(runId: number): Promise<{ runId: number }> {
      const record = store.get(runId);
      if (active.has(runId)) throw new AppError('CONFLICT', `run ${runId} is already running`);
      if (queue.some((q) => q.record.id === runId))
        throw new AppError('CONFLICT', `run ${runId} is already queued`);
      if (record.status === 'succeeded') throw new AppError('CONFLICT', `run ${runId} has already finished`);
      logger.info('run', `run ${runId} resumed (was ${record.status})`);
      logger.info('run', `run ${runId} resumed (was ${record.status})`);
      await schedule(record, true);
      return { runId };
    },
    /** Running: stops at the next batch boundary (resumable). Queued: leaves the queue. */
    cancel(runId: number): { cancelled: boolean } {
      const q = queue.findIndex((e) => e.record.id === runId);
      if (q >= 0) {
        queue.splice(q, 1);
        store.setStatus(runId, 'cancelled');
        logger.info('run', `run ${runId} cancelled while queued`);
        logger.info('run', `run ${runId} cancelled while queued`);
        emitStatus(runId, 'cancelled');
        settle(runId);
        return { cancelled: true };
      }
      const a = active.get(runId);
      a?.run.cancel();
      if (a) logger.info('run', `run ${runId}: cancel requested (stops at the next batch)`);
      if (a) logger.info('run', `run ${runId}: cancel requested (stops at the next batch)`);
      return { cancelled: a !== undefined };
    },
    /** Resolves when the run (queued or running) has ended and its outcome is stored. */
    async wait(runId: number): Promise<RunDetail> {
      await settled.get(runId)?.promise;
      await active.get(runId)?.done;
      return detail(runId);
    },
    list(datasetId?: number): RunListItem[] {
      const version = store.labelVersion();
      return store.list(datasetId).map((r) => toListItem(r, datasetName(r.datasetId), staleOf(r, version)));
    },
    get: detail,
    predictions(q: {
      runId: number;
      method?: RunMethod;
      split?: 'validation' | 'test';
      wrongOnly?: boolean;
      limit?: number;
      offset?: number;
    }): RunPrediction[] {
      store.get(q.runId);
      return store.predictions(q);
    },
    /** Every stored epoch point of a run (all seeds and methods), for charts after a reload. */
    async curves(runId: number): Promise<RunCurvePoint[]> {
      const r = store.get(runId);
      await curveWriter.flush(r.runDir);
      return readCurves(r.runDir);
    },
    /** Grad-CAM of one of the run's images with its exported stage-1 model (run-saliency.ts). */
    saliency(input: {
      runId: number;
      imageId: number;
      classIndex?: number;
      label?: string;
    }): Promise<RunSaliency> {
      return saliency.saliency(input);
    },
    async exportReport(input: {
      runId: number;
      path: string;
      format: 'html' | 'csv';
    }): Promise<{ path: string; bytes: number }> {
      const r = store.get(input.runId);
      if (!r.summary)
        throw new AppError('CONFLICT', `run ${input.runId} has no results yet (status ${r.status})`);
      const wrong = misclassified(input.runId);
      let text: string;
      if (input.format === 'html')
        text = renderValidationReportHtml(r.summary, wrong, {
          generatedAt: new Date().toISOString(),
          staleLabels: Math.max(0, store.labelVersion() - r.labelVersion),
        });
      else {
        const csv = renderValidationReportCsv(r.summary, wrong);
        text = `${csv.metrics}\n${csv.misclassified}`;
      }
      // Atomic: a reader (or a crash) never sees a half-written report.
      await writeFileAtomic(input.path, Buffer.from(text, 'utf8'));
      return { path: input.path, bytes: Buffer.byteLength(text) };
    },
    onProgress(listener: (p: RunProgress) => void): () => void {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onStatus(
      listener: (s: { runId: number; status: RunListItem['status']; error: string | null }) => void,
    ): () => void {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    /** Cancels running runs, forgets the queue and waits for the processes (app shutdown). */
    async dispose(): Promise<void> {
      // Queued runs stay `queued` in the catalog; the next start marks them resumable.
      for (const q of queue.splice(0)) settle(q.record.id);
      const all = [...active.values()];
      for (const a of all) a.run.cancel();
      await Promise.all(all.map((a) => a.done));
      await curveWriter.flush();
      await saliency.dispose();
    },
  };
};

export type RunService = ReturnType<typeof createRunService>;
