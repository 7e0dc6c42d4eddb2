import { z } from 'zod';
import { arraySource, createDenseNet } from '../train/dense-net';
import { fit } from '../train/fit-loop';
import { defineJobKind } from './job-registry';

const Matrix = z.array(z.array(z.number())).min(1);

/** Config of the generic `tiny-dense` job: train a small dense net on in-memory arrays. */
export const TinyDenseConfig = z.object({
  x: Matrix,
  y: Matrix,
  validation: z.object({ x: Matrix, y: Matrix }).optional(),
  hidden: z.array(z.number().int().positive()).default([8]),
  activation: z.enum(['tanh', 'relu', 'sigmoid']).default('tanh'),
  loss: z
    .enum(['softmaxCrossEntropy', 'categoricalCrossentropy', 'meanSquaredError'])
    .default('softmaxCrossEntropy'),
  seed: z.number().int(),
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  shuffle: z.boolean().default(true),
  optimizer: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('sgd'),
      learningRate: z.number().positive(),
      momentum: z.number().min(0).max(1).optional(),
      nesterov: z.boolean().optional(),
    }),
    z.object({
      type: z.literal('adam'),
      learningRate: z.number().positive(),
      beta1: z.number().optional(),
      beta2: z.number().optional(),
      epsilon: z.number().optional(),
    }),
  ]),
  /** Test hook: wait this long after every batch so a test can cancel or kill mid-run. */
  batchDelayMs: z.number().int().min(0).max(10_000).default(0),
});
export type TinyDenseConfig = z.infer<typeof TinyDenseConfig>;

/** Result of the `tiny-dense` job. */
export interface TinyDenseResult {
  history: Awaited<ReturnType<typeof fit>>['history'];
  best: Awaited<ReturnType<typeof fit>>['best'];
  startEpoch: number;
  batchSize: number;
  /** Final weights (best epoch's when there is validation), `dense-net.ts` order. */
  weights: number[][];
}

/** "Train this tiny model on these arrays": exercises the whole trainer path in seconds. */
export const tinyDenseJob = defineJobKind<TinyDenseConfig>({
  kind: 'tiny-dense',
  config: TinyDenseConfig as unknown as z.ZodType<TinyDenseConfig>,
  async run(config, ctx) {
    const { tf } = ctx;
    const sizes = [config.x[0]!.length, ...config.hidden, config.y[0]!.length];
    const net = createDenseNet(tf, { sizes, activation: config.activation, seed: config.seed });
    let checkpointPath: string | null = null;
    try {
      const result = await fit(
        tf,
        net,
        {
          train: arraySource(tf, config.x, config.y),
          validation: config.validation && arraySource(tf, config.validation.x, config.validation.y),
        },
        {
          epochs: config.epochs,
          batchSize: config.batchSize,
          seed: config.seed,
          loss: config.loss,
          optimizer: config.optimizer,
          shuffle: config.shuffle,
          runDir: ctx.runDir,
          resume: ctx.resume,
          signal: ctx.signal,
          stage: 'train',
          onProgress: ctx.progress,
          callbacks: [
            {
              checkpoint: ctx.checkpoint,
              cancelled: (c) => void (checkpointPath = c.checkpointPath),
              batchRetry: (r) =>
                ctx.log('warn', `out of memory at batch size ${r.from}; retrying at ${r.to}`),
              batchEnd: () =>
                config.batchDelayMs > 0 ? new Promise((r) => setTimeout(r, config.batchDelayMs)) : undefined,
            },
          ],
        },
      );
      if (result.status === 'cancelled') return { status: 'cancelled', checkpointPath };
      const out: TinyDenseResult = {
        history: result.history,
        best: result.best,
        startEpoch: result.startEpoch,
        batchSize: result.batchSize,
        weights: await net.readWeights(),
      };
      return { status: 'completed', result: out };
    } finally {
      net.dispose();
    }
  },
});
