import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkBackendAgreement,
  compareArrays,
  tinyNetPass,
} from '../../../../../main/engine/gpu/backend-agreement';

const wasmDist =
  join(
    dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  ) + '/';

describe('backend agreement check', () => {
  it('compares with a relative tolerance and an absolute floor', () => {
    const r = compareArrays([Float32Array.from([1, 0.0001])], [Float32Array.from([1.00005, 0])]);
    expect(r.maxAbsDiff).toBeCloseTo(0.0001, 7);
    // 0.0001 / max(0, 1e-3) = 0.1 dominates 0.00005 / 1.00005.
    expect(r.maxRelDiff).toBeCloseTo(0.1, 5);
    expect(() => compareArrays([new Float32Array(1)], [new Float32Array(2)])).toThrow('tensor 0');
  });

  // The stock wasm backend lacks Conv2DBackpropFilter (main/engine/wasm provides it), so this
  // check compares logits and the input and dense-weight gradients.
  it('finds the wasm engine in agreement with the cpu reference on the tiny net, without leaking tensors', async () => {
    setWasmPaths(wasmDist);
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const [result] = await checkBackendAgreement(tf, 'cpu', ['wasm'], { filterGradient: false });
    expect(result).toMatchObject({ backend: 'wasm', reference: 'cpu', ok: true });
    expect(result!.maxRelDiff).toBeLessThan(1e-4);
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.memory().numTensors).toBe(before);
    // The pass is not degenerate: 2×3 logits and non-zero gradients for input, filter and dense weights.
    const [logits, gx, gf, gw] = tinyNetPass(tf);
    expect(logits).toHaveLength(6);
    expect([gx!.length, gf!.length, gw!.length]).toEqual([2 * 8 * 8 * 3, 3 * 3 * 3 * 4, 4 * 3]);
    for (const g of [gx!, gf!, gw!]) expect(Math.max(...Array.from(g, Math.abs))).toBeGreaterThan(1e-4);
  });
});
