import { describe, expect, it } from 'vitest';
import { epochLearningRate } from '../../../../main/runs/stage1-finetune';

describe('stage-1 learning-rate schedule', () => {
  it('decays by a half cosine over the epochs, starting at the base rate', () => {
    const opts = { learningRate: 3e-4, schedule: 'cosine' as const, epochs: 10 };
    expect(epochLearningRate(opts, 1)).toBeCloseTo(3e-4, 12);
    expect(epochLearningRate(opts, 6)).toBeCloseTo(1.5e-4, 12);
    expect(epochLearningRate(opts, 10)).toBeCloseTo(3e-4 * (1 + Math.cos((Math.PI * 9) / 10)) / 2, 12);
    const rates = Array.from({ length: 10 }, (_, e) => epochLearningRate(opts, e + 1));
    for (let e = 1; e < 10; e++) expect(rates[e]!).toBeLessThan(rates[e - 1]!);
  });

  it('keeps the rate with the constant schedule', () => {
    expect(epochLearningRate({ learningRate: 5e-4, schedule: 'constant', epochs: 5 }, 4)).toBe(5e-4);
  });
});
