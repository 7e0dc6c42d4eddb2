import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/contract/result';
import type { CatalogService } from '../catalog/catalog-service';
import { defineJobKind } from '../engine/trainer/job-registry';
import { createTrainerSupervisor, type TrainerSupervisor } from '../engine/trainer/trainer-supervisor';
import { loadRunModel } from '../runs/model-predict';
import { createRunStore } from '../runs/run-store';
import { mkdirPrivate } from '../security/private-files';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';

/** Stage-1 (image-only) class probabilities of image files from a run's exported model. */
export type RunPredictor = (
  modelDir: string,
  paths: readonly string[],
) => Promise<{ classes: string[]; probs: number[][] }>;

/** The newest succeeded run of a dataset and task that exported a model, or NOT_FOUND. */
export const latestRunModel = (
  catalog: CatalogService,
  datasetId: number,
  task: string,
): { runId: number; modelDir: string; finishedAt: string; trainedOn: number } => {
  const run = createRunStore(catalog.db())
    .list(datasetId)
    .filter((r) => r.task === task && r.status === 'succeeded' && existsSync(join(r.runDir, 'model')))
    .sort((a, b) => b.id - a.id)[0];
  if (!run)
    throw new AppError('NOT_FOUND', `no finished run of dataset ${datasetId}, task "${task}" has a model`);
  const train = run.summary?.split.counts.train;
  return {
    runId: run.id,
    modelDir: join(run.runDir, 'model'),
    finishedAt: run.finishedAt ?? run.createdAt,
    trainedOn: train ? Object.values(train).reduce((a, b) => a + b, 0) : 0,
  };
};

export const AssistantRunPredictConfig = z.object({
  modelDir: z.string().min(1),
  paths: z.array(z.string().min(1)),
});
type AssistantRunPredictConfig = z.infer<typeof AssistantRunPredictConfig>;

/** The `assistant-run-predict` trainer job: a run model's stage-1 probabilities, off the main loop. */
export const assistantRunPredictJob = defineJobKind<AssistantRunPredictConfig>({
  kind: 'assistant-run-predict',
  config: AssistantRunPredictConfig,
  async run(config, ctx) {
    const model = await loadRunModel(ctx.tf as never, config.modelDir);
    try {
      const probs: number[][] = [];
      for (let s = 0; s < config.paths.length; s += 32) {
        if (ctx.signal.aborted) return { status: 'cancelled', checkpointPath: null };
        const out = await model.predict(config.paths.slice(s, s + 32).map((image) => ({ image })));
        probs.push(...out.map((p) => p.image.probs));
      }
      return { status: 'completed', result: { classes: model.manifest.classes, probs } };
    } finally {
      model.dispose();
    }
  },
});

/** The app's run predictor: one `assistant-run-predict` job in a trainer process. */
export const trainerRunPredictor = (options: {
  workspaceDir: string;
  supervisor?: TrainerSupervisor;
}): RunPredictor => {
  let supervisor = options.supervisor;
  return async (modelDir, paths) => {
    supervisor ??= createTrainerSupervisor();
    const id = randomUUID();
    const runDir = join(options.workspaceDir, 'assistant', 'jobs', id);
    mkdirPrivate(runDir);
    try {
      const run = await supervisor.start(
        { id, kind: 'assistant-run-predict', config: { modelDir, paths } },
        { runDir },
      );
      const outcome = await run.outcome;
      if (outcome.status !== 'completed') throw new Error(`run model prediction ${outcome.status}`);
      return outcome.result as { classes: string[]; probs: number[][] };
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  };
};
