import * as tf from '@tensorflow/tfjs';
import {
  AugmentConfig,
  type AugmentConfigInput,
  type DrawnParams,
} from '../../shared/augment/augment-config';
import type { BatchPlan, PlanOp } from './augment-plan-types';
import { planBatch } from './plan-batch';
import { runOp } from './run-plan';
import { finalizeJs, runOpJs, type JsBatch } from './run-plan-js';
import type { SectorInfo } from './sector-detect';

export interface AugmentOptions<L> {
  /** The batch seed: `batchSeed(runSeed, epoch, batchIndex)` in training. */
  seed: number;
  /** Per image, its detected sector (normalised to the batch frame); null/absent: none known. */
  sectors?: ReadonlyArray<SectorInfo | null | undefined>;
  /** Passed through untouched: augmentation is label-preserving by construction. */
  labels?: L;
  /**
   * `model` (default): `outputChannels` channels, normalised with the backbone's constants.
   * `display`: the same pixels before channel expansion and normalisation, in [0, 1] (previews).
   */
  output?: 'model' | 'display';
}

export interface AugmentResult<L> {
  /** New tensor [B, outputSize, outputSize, C]; the caller disposes it. */
  images: tf.Tensor4D;
  labels: L | undefined;
  /** What was drawn for each image, in batch order. */
  params: DrawnParams[];
}

/** One configured pipeline; stateless between calls (all randomness comes from `seed`). */
export interface Augmenter {
  readonly config: AugmentConfig;
  /** Draws a batch's parameters without touching tensors (cheap; used by tests and the preview). */
  plan(
    batchSize: number,
    height: number,
    width: number,
    seed: number,
    sectors?: AugmentOptions<unknown>['sectors'],
  ): BatchPlan;
  /**
   * Augments a float32 batch [B, H, W, C] (C = 1 or 3, values in [0, 1]) on the active tfjs
   * backend. Does not dispose `images`; leaves no other tensors behind.
   */
  augment<L = undefined>(images: tf.Tensor4D, options: AugmentOptions<L>): AugmentResult<L>;
}

/**
 * How the planned ops execute; all give the same pixels up to float rounding (tested).
 * - `tfjs`: tfjs ops on the active backend (the batch never leaves the device: webgl, webgpu,
 *   tfjs-node).
 * - `js`: fused JS loops on the batch's values, one upload at the end.
 * - `hybrid`: geometry with tf.image.transform (wasm's C++ kernel is fast), everything else in JS
 *   (wasm's Pow, per-image depthwise blur and broadcasting ops are 3-60× slower than a JS loop).
 * - `auto` (default): `hybrid` on wasm, `js` on cpu (its Transform kernel is slow and only
 *   transforms the first image of a batch in tfjs 4.22), `tfjs` elsewhere.
 * See bench/augment.ts for the figures behind these choices.
 */
export type AugmentEngine = 'auto' | 'tfjs' | 'js' | 'hybrid';

export interface AugmenterOptions {
  engine?: AugmentEngine;
}

const resolveEngine = (engine: AugmentEngine): Exclude<AugmentEngine, 'auto'> => {
  if (engine !== 'auto') return engine;
  const backend = tf.getBackend();
  return backend === 'wasm' ? 'hybrid' : backend === 'cpu' ? 'js' : 'tfjs';
};

/**
 * Runs the ops, each on tensors or in JS as the engine says, converting between the two only when
 * the side changes (`dataSync` copies out; an upload copies in). Returns the model or display output.
 */
const execute = (
  images: tf.Tensor4D,
  ops: readonly PlanOp[],
  engine: Exclude<AugmentEngine, 'auto'>,
  config: AugmentConfig,
  display: boolean,
): tf.Tensor4D => {
  const onTensors = (op: PlanOp) => engine === 'tfjs' || (engine === 'hybrid' && op.op === 'geometry');
  let t: tf.Tensor4D | null = images;
  let js: JsBatch | null = null;
  for (const op of ops) {
    if (onTensors(op)) {
      if (js) t = tf.tensor4d(js.data, [js.B, js.h, js.w, js.C]);
      js = null;
      t = runOp(t as tf.Tensor4D, op);
    } else {
      if (t) {
        const [B, h, w, C] = t.shape;
        js = { data: (t.dataSync() as Float32Array).slice(), B, h, w, C }; // own copy: ops run in place
      }
      t = null;
      js = runOpJs(js as JsBatch, op);
    }
  }
  if (js) {
    const out = display ? js : finalizeJs(js, config.outputChannels, config.normalize);
    return tf.tensor4d(out.data, [out.B, out.h, out.w, out.C]);
  }
  const x = t as tf.Tensor4D;
  const y = display ? x : finalize(x, config);
  return y === images ? tf.clone(y) : y;
};

/** Checks mean/std lengths against the output channels (1 value broadcasts). */
const checkNormalize = (config: AugmentConfig): void => {
  const n = config.normalize;
  const c = config.outputChannels;
  if (
    n.mode === 'mean-std' &&
    ((n.mean.length !== 1 && n.mean.length !== c) || (n.std.length !== 1 && n.std.length !== c))
  )
    throw new RangeError(`normalize mean/std need 1 or ${c} values`);
};

/** Channel expansion and normalisation with the backbone's constants (model output, tfjs path). */
const finalize = (x: tf.Tensor4D, config: AugmentConfig): tf.Tensor4D => {
  let y = x;
  const C = y.shape[3];
  // Broadcast multiply, not tf.tile: wasm's Tile takes ~0.6 s on [32,224,224,1] → 3 channels.
  if (config.outputChannels === 3 && C === 1) y = tf.mul(y, tf.ones([1, 1, 1, 3]));
  if (config.outputChannels === 1 && C === 3) y = tf.mean(y, 3, true);
  const n = config.normalize;
  if (n.mode === 'range') return tf.add(tf.mul(y, n.max - n.min), n.min);
  if (n.mode === 'mean-std') return tf.div(tf.sub(y, tf.tensor1d(n.mean)), tf.tensor1d(n.std));
  return y;
};

/**
 * Creates the augmentation pipeline the trainer and the live preview share. The config is parsed
 * (defaults filled, ranges checked) once here.
 */
export const createAugmenter = (
  config: AugmentConfigInput | AugmentConfig,
  augmentOptions: AugmenterOptions = {},
): Augmenter => {
  const parsed = AugmentConfig.parse(config);
  checkNormalize(parsed);
  const plan: Augmenter['plan'] = (batchSize, height, width, seed, sectors) =>
    planBatch({ config: parsed, batchSize, height, width, seed, sectors });
  return {
    config: parsed,
    plan,
    augment<L = undefined>(images: tf.Tensor4D, options: AugmentOptions<L>): AugmentResult<L> {
      const [B, H, W, C] = images.shape;
      if (C !== 1 && C !== 3) throw new RangeError(`augment expects 1 or 3 channels, got ${C}`);
      if (images.dtype !== 'float32') throw new TypeError(`augment expects float32, got ${images.dtype}`);
      if (options.sectors && options.sectors.length !== B)
        throw new RangeError(`sectors has ${options.sectors.length} entries for a batch of ${B}`);
      const p = plan(B, H, W, options.seed, options.sectors);
      const engine = resolveEngine(augmentOptions.engine ?? 'auto');
      const out = tf.tidy(() => execute(images, p.ops, engine, parsed, options.output === 'display'));
      return { images: out, labels: options.labels, params: p.params };
    },
  };
};
