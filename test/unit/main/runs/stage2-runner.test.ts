import { describe, expect, it } from 'vitest';
import { ensembleWarmStart } from '../../../../main/runs/stage2-runner';

describe('ensembleWarmStart (geometric mean of the single-modality experts)', () => {
  it('stacks the kernels in fusion-column order, each expert weighted 1/M', () => {
    const image = { kernel: Float32Array.from([1, 2, 3, 4]), bias: Float32Array.from([0.5, -0.5]) };
    const note = { kernel: Float32Array.from([5, 6]), bias: Float32Array.from([0.25, 0.75]) };
    const meta = { kernel: Float32Array.from([7, 8, 9, 10]), bias: Float32Array.from([-1, 1]) };
    const w = ensembleWarmStart(image, [note, meta]);
    Array.from(w.kernel).forEach((v, i) => expect(v).toBeCloseTo((i + 1) / 3, 6));
    expect(w.bias[0]).toBeCloseTo((0.5 + 0.25 - 1) / 3, 6);
    expect(w.bias[1]).toBeCloseTo((-0.5 + 0.75 + 1) / 3, 6);
  });

  it('its softmax is the normalised geometric mean of the experts’ probabilities', () => {
    const image = { kernel: Float32Array.from([2, -1]), bias: Float32Array.from([0.3, 0]) }; // 1 input
    const note = { kernel: Float32Array.from([-0.5, 1.5]), bias: Float32Array.from([0, 0.2]) }; // 1 input
    const w = ensembleWarmStart(image, [note]);
    const softmax = (z: number[]) => z.map((v) => Math.exp(v) / z.reduce((s, u) => s + Math.exp(u), 0));
    const [f, n] = [0.7, -1.2];
    const pImage = softmax([0, 1].map((c) => f * image.kernel[c]! + image.bias[c]!));
    const pNote = softmax([0, 1].map((c) => n * note.kernel[c]! + note.bias[c]!));
    const geo = [0, 1].map((c) => Math.sqrt(pImage[c]! * pNote[c]!));
    const expected = geo.map((g) => g / (geo[0]! + geo[1]!));
    const fused = softmax([0, 1].map((c) => f * w.kernel[c]! + n * w.kernel[2 + c]! + w.bias[c]!));
    fused.forEach((p, c) => expect(p).toBeCloseTo(expected[c]!, 6));
  });

  it('with no other modality is the image head itself', () => {
    const image = { kernel: Float32Array.from([1, 2]), bias: Float32Array.from([0.5, -0.5]) };
    const w = ensembleWarmStart(image, []);
    expect(Array.from(w.kernel)).toEqual([1, 2]);
    expect(Array.from(w.bias)).toEqual([0.5, -0.5]);
  });
});
