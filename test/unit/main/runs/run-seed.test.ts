import { describe, expect, it } from 'vitest';
import { ensembleWarmStart } from '../../../../main/runs/run-seed';

describe('ensembleWarmStart (product of the single-modality experts)', () => {
  it('stacks the kernels in fusion-column order and counts the training prior once', () => {
    const image = { kernel: Float32Array.from([1, 2, 3, 4]), bias: Float32Array.from([0.5, -0.5]) };
    const note = { kernel: Float32Array.from([5, 6]), bias: Float32Array.from([0.25, 0.75]) };
    const meta = { kernel: Float32Array.from([7, 8, 9, 10]), bias: Float32Array.from([-1, 1]) };
    // 3 training rows of class 0, 1 of class 1 → add-one counts 4 and 2 → prior 2/3, 1/3.
    const w = ensembleWarmStart(image, [note, meta], [0, 0, 1, 0], 2);
    expect(Array.from(w.kernel)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const lp0 = Math.log(2 / 3);
    const lp1 = Math.log(1 / 3);
    expect(w.bias[0]).toBeCloseTo(0.5 + 0.25 - lp0 - 1 - lp0, 5);
    expect(w.bias[1]).toBeCloseTo(-0.5 + 0.75 - lp1 + 1 - lp1, 5);
    // Its softmax equals Π p(y|modality) / p(y)^(k−1), normalised.
    const experts = [
      [image.bias[0]!, image.bias[1]!],
      [note.bias[0]!, note.bias[1]!],
      [meta.bias[0]!, meta.bias[1]!],
    ].map(([a, b]) => {
      const z = Math.exp(a!) + Math.exp(b!);
      return [Math.exp(a!) / z, Math.exp(b!) / z];
    });
    const unnorm = [0, 1].map((c) => experts.reduce((p, e) => p * e[c]!, 1) / [2 / 3, 1 / 3][c]! ** 2);
    const fused = unnorm[0]! / (unnorm[0]! + unnorm[1]!);
    const z = Math.exp(w.bias[0]!) + Math.exp(w.bias[1]!);
    expect(Math.exp(w.bias[0]!) / z).toBeCloseTo(fused, 5);
  });

  it('with no other modality is the image head itself', () => {
    const image = { kernel: Float32Array.from([1, 2]), bias: Float32Array.from([0.5, -0.5]) };
    const w = ensembleWarmStart(image, [], [0, 1], 2);
    expect(Array.from(w.kernel)).toEqual([1, 2]);
    expect(Array.from(w.bias)).toEqual([0.5, -0.5]);
  });
});
