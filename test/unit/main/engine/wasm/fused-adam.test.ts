import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAM_UPDATE_KERNEL, fuseAdamOnWasm } from '../../../../../main/engine/wasm/fused-adam';
import type { WasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';
import { relativeError, seededFloats, setupWasmKernels, tf } from './wasm-test-setup';

/** Two variables (one not a multiple of 4 long) and 3 steps of seeded gradients. */
const run = async (fused: boolean, prefix: string) => {
  const vars = [
    tf.variable(tf.tensor2d(seededFloats(1, 15), [5, 3]), true, `${prefix}a`),
    tf.variable(tf.tensor1d(seededFloats(2, 7)), true, `${prefix}b`),
  ];
  const adam = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
  const opt = fused ? fuseAdamOnWasm(tf, adam) : adam;
  let kernels: string[] = [];
  for (let step = 0; step < 3; step++) {
    const grads = vars.map((v, i) => ({
      name: v.name,
      tensor: tf.tensor(seededFloats(10 + step * 2 + i, v.size), v.shape),
    }));
    const profile = await tf.profile(() => opt.applyGradients(grads));
    kernels = profile.kernels.map((k) => k.name);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const state = await opt.getWeights();
  const out = {
    values: vars.map((v) => v.dataSync() as Float32Array),
    state: state.map((w) => ({
      name: w.name.replace(prefix, ''),
      data: w.tensor.dataSync() as Float32Array,
    })),
    kernels,
  };
  tf.dispose(vars);
  opt.dispose();
  return out;
};

describe('fused Adam update on wasm', () => {
  let handle: WasmTrainingKernels;
  beforeAll(async () => {
    handle = await setupWasmKernels();
  });
  afterAll(() => handle.uninstall());

  it('gives tfjs AdamOptimizer’s values and state after 3 steps, with one kernel per variable', async () => {
    await tf.setBackend('wasm');
    const stock = await run(false, 'stock/');
    const fused = await run(true, 'fused/');
    for (let i = 0; i < 2; i++) expect(relativeError(fused.values[i]!, stock.values[i]!)).toBeLessThan(1e-6);
    // iterations, then m of each variable, then v of each: same names, same numbers
    expect(fused.state.map((s) => s.name)).toEqual(stock.state.map((s) => s.name));
    expect(fused.state.map((s) => s.name)).toEqual(['iter', 'a/m', 'b/m', 'a/v', 'b/v']);
    for (let i = 0; i < stock.state.length; i++)
      expect(relativeError(fused.state[i]!.data, stock.state[i]!.data)).toBeLessThan(1e-6);
    expect(fused.kernels.filter((k) => k === ADAM_UPDATE_KERNEL)).toHaveLength(2);
    expect(fused.kernels).not.toContain('Sqrt');
    expect(stock.kernels).toContain('Sqrt');
  });

  it('is tfjs’ own update off wasm', async () => {
    await tf.setBackend('cpu');
    const fused = await run(true, 'cpu/');
    expect(fused.kernels).not.toContain(ADAM_UPDATE_KERNEL);
    expect(fused.kernels).toContain('Sqrt');
  });
});
