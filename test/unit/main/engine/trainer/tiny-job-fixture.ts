import type { TrainerJob } from '../../../../../main/engine/trainer/trainer-protocol';

/** A tiny deterministic job: 8 rows, 3 features, 2 classes (fixed formulas), 6 epochs. */
export const tinyJob = (id: string, extra: Record<string, unknown> = {}): TrainerJob => {
  const x = Array.from({ length: 8 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 0.9), (i % 3) - 1]);
  const y = x.map((r) => (r[0]! + 0.5 * r[1]! > 0 ? [1, 0] : [0, 1]));
  return {
    id,
    kind: 'tiny-dense',
    config: {
      x,
      y,
      validation: { x, y },
      hidden: [4],
      seed: 5,
      epochs: 6,
      batchSize: 4,
      optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
      ...extra,
    },
  };
};
