import { z } from 'zod';
import { defineCall, defineEvent } from './define';

/**
 * The labeling assistant: per dataset and task, a small model retrained in the background on the
 * labeled images of the TRAIN part of the stored split only (never validation or test), which
 * suggests labels and orders the "next image" queue.
 */

const id = z.number().int().positive();
const task = z.string().min(1).max(200);

export const AssistantState = z.enum(['idle', 'extracting', 'training', 'ready', 'unavailable']);
export type AssistantState = z.infer<typeof AssistantState>;

/** Where the suggester comes from: a head on cached image features, or a finished run's model. */
export const AssistantModelSource = z.enum(['features', 'run']);
export type AssistantModelSource = z.infer<typeof AssistantModelSource>;

export const AssistantModel = z.object({
  id: z.string(),
  source: AssistantModelSource,
  /** Set when source is 'run': the run and method whose model suggests. */
  runId: z.number().int().optional(),
  method: z.string().optional(),
  /** ISO time of the (re)train. */
  trainedAt: z.string(),
  /** How many labeled training-part images it was trained on. */
  trainedOn: z.number().int(),
});
export type AssistantModel = z.infer<typeof AssistantModel>;

export const AssistantStatus = z.object({
  datasetId: z.number().int(),
  task: z.string(),
  state: AssistantState,
  /** Why the state is 'unavailable' (or idle with nothing to do), for people. */
  reason: z.string().optional(),
  /** Labels of the training part the assistant can use. */
  labeled: z.number().int(),
  featuresDone: z.number().int(),
  featuresTotal: z.number().int(),
  model: AssistantModel.nullable(),
  /** Wall time of the last retrain in ms; null before the first. */
  lastRetrainMs: z.number().nullable(),
});
export type AssistantStatus = z.infer<typeof AssistantStatus>;

export const Suggestion = z.object({
  imageId: z.number().int(),
  /** The top class. */
  label: z.string(),
  /** Its probability. */
  p: z.number(),
  probs: z.record(z.string(), z.number()),
  modelId: z.string(),
});
export type Suggestion = z.infer<typeof Suggestion>;

/** The order of "Next image": import order, most informative first, or one predicted class. */
export const QueueMode = z.enum(['import', 'informative', 'class']);
export type QueueMode = z.infer<typeof QueueMode>;

export const AssistStrategy = z.enum(['random', 'uncertainty', 'diverse-uncertainty']);
export type AssistStrategy = z.infer<typeof AssistStrategy>;

/** One seed's learning curve of one strategy in `sonofuse assist-sim`. */
export const AssistSimCurve = z.object({
  strategy: AssistStrategy,
  seed: z.number().int(),
  /** Labels used at each round (x axis). */
  labels: z.array(z.number().int()),
  /** Test accuracy after each round (y axis), same length as labels. */
  accuracy: z.array(z.number()),
  /** Normalised area under the curve (mean accuracy over the label range, trapezoidal). */
  auc: z.number(),
  /** Labels needed to reach 95% of the all-labels accuracy; null if never reached. */
  labelsTo95: z.number().int().nullable(),
  /** Share of the labels added after the start whose top-1 suggestion (model before the batch) was right. */
  suggestionAccuracy: z.number(),
});
export type AssistSimCurve = z.infer<typeof AssistSimCurve>;

export const AssistSimResult = z.object({
  datasetId: z.number().int(),
  task: z.string(),
  createdAt: z.string(),
  /** Training-part images in the pool. */
  n: z.number().int(),
  testSize: z.number().int(),
  start: z.number().int(),
  batch: z.number().int(),
  seeds: z.array(z.number().int()),
  /** Test accuracy of the head trained on every training-part label (mean over seeds). */
  allLabelsAccuracy: z.number(),
  curves: z.array(AssistSimCurve),
});
export type AssistSimResult = z.infer<typeof AssistSimResult>;

const datasetTask = z.object({ datasetId: id, task }).strict();

export const assistantCalls = {
  'assistant:status': defineCall({
    input: datasetTask,
    output: AssistantStatus,
    summary: "The labeling assistant's state for a dataset and task (features, model, last retrain).",
  }),
  'assistant:suggestions': defineCall({
    input: z.object({ datasetId: id, task, imageIds: z.array(id).max(20000).optional() }).strict(),
    output: z.array(Suggestion),
    summary: 'Suggested labels (top class, probabilities) of the given images, or of every unlabeled one.',
  }),
  'assistant:queue': defineCall({
    input: z
      .object({
        datasetId: id,
        task,
        mode: QueueMode,
        className: z.string().min(1).max(200).optional(),
        limit: z.number().int().min(1).max(20000).default(100),
      })
      .strict()
      .refine((q) => q.mode !== 'class' || q.className !== undefined, {
        message: "mode 'class' needs className",
      }),
    output: z.array(z.number().int()),
    summary:
      'Unlabeled image ids in "next image" order: import order, most informative first, or one predicted class.',
  }),
  'assistant:useModel': defineCall({
    input: z.object({ datasetId: id, task, source: AssistantModelSource }).strict(),
    output: AssistantStatus,
    summary: "Chooses the suggester: the head on cached features, or the latest finished run's model.",
  }),
  'assistant:simulation': defineCall({
    input: datasetTask,
    output: AssistSimResult.nullable(),
    summary: 'The last stored `sonofuse assist-sim` result of the dataset and task, or null.',
  }),
} as const;

export const assistantEvents = {
  'assistant:onUpdate': defineEvent({
    payload: AssistantStatus,
    summary: 'The assistant changed state (extracting, training, a new model is ready).',
  }),
} as const;
