import type * as tfType from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { FUSED_GRAD_KERNELS } from './elementwise-gradient-kernels';
import { isAllButLast } from './fast-stock-kernels';

/** The parts of the tfjs namespace the overrides need. */
export interface TfGradLike {
  getBackend(): string;
  util: { parseAxisParam(axis: number | number[], shape: number[]): number[] };
  getGradient: typeof tfType.getGradient;
  registerGradient: typeof tfType.registerGradient;
  engine: typeof tfType.engine;
}

type GradFunc = GradConfig['gradFunc'];

const run = (tf: TfGradLike, name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap = {}) =>
  tf.engine().runKernel(name, inputs as never, attrs as never);

/**
 * Wraps the stock gradients of FusedBatchNorm, ClipByValue, Relu, Mean (per-channel) and Square:
 * on the wasm backend (and for the per-channel NHWC case training uses) each calls one fused
 * kernel instead of 3-12 tfjs ops
 * (the stock FusedBatchNorm gradient materialises a full-size Tile, which dominated the profile);
 * everywhere else they defer to the stock gradient. Gradients are global in tfjs, so this decides
 * per call. Returns a function that restores the stock gradients.
 */
export const overrideGradients = (tf: TfGradLike): (() => void) => {
  const originals: GradConfig[] = [];
  const wrap = (kernelName: string, fast: (orig: GradFunc) => GradFunc) => {
    const orig = tf.getGradient(kernelName);
    if (!orig) return;
    originals.push(orig);
    tf.registerGradient({ ...orig, gradFunc: fast(orig.gradFunc) });
  };
  const onWasm = () => tf.getBackend() === 'wasm';

  wrap('FusedBatchNorm', (orig) => (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved;
    const c = x.shape[x.rank - 1];
    const perChannel = (t: Tensor | undefined) => t == null || (t.rank === 1 && t.size === c);
    if (
      !onWasm() ||
      mean.rank !== 1 ||
      !perChannel(mean) ||
      !perChannel(variance) ||
      !perChannel(scale) ||
      x.dtype !== 'float32'
    ) {
      return orig(dy, saved, attrs);
    }
    // Computed eagerly: tfjs runs each returned closure in its own tidy, which would dispose the
    // sibling outputs of a lazily shared multi-output kernel call.
    const inputs: Record<string, Tensor> = { x, dy: dy as Tensor, mean, variance };
    if (scale) inputs.scale = scale;
    const { varianceEpsilon } = attrs as { varianceEpsilon: number };
    const outs = run(tf, FUSED_GRAD_KERNELS.batchNorm, inputs, { varianceEpsilon }) as Tensor[];
    const get = (i: number) => () => outs[i];
    return { x: get(0), mean: get(1), variance: get(2), scale: get(3), offset: get(4) };
  });

  wrap('ClipByValue', (orig) => (dy, saved, attrs) => {
    const [x] = saved;
    if (!onWasm() || x.dtype !== 'float32') return orig(dy, saved, attrs);
    const { clipValueMin, clipValueMax } = attrs as { clipValueMin: number; clipValueMax: number };
    return {
      x: () =>
        run(tf, FUSED_GRAD_KERNELS.clip, { x, dy: dy as Tensor }, { clipValueMin, clipValueMax }) as Tensor,
    };
  });

  wrap('Relu', (orig) => (dy, saved, attrs) => {
    const [x] = saved;
    if (!onWasm() || x.dtype !== 'float32') return orig(dy, saved, attrs);
    return { x: () => run(tf, FUSED_GRAD_KERNELS.relu, { x, dy: dy as Tensor }) as Tensor };
  });

  wrap('Mean', (orig) => (dy, saved, attrs) => {
    const [x] = saved;
    const { axis } = attrs as { axis: number | number[] };
    if (!onWasm() || x.dtype !== 'float32' || !isAllButLast(tf, axis, x.shape)) return orig(dy, saved, attrs);
    return {
      x: () => run(tf, FUSED_GRAD_KERNELS.meanGrad, { dy: dy as Tensor }, { outShape: x.shape }) as Tensor,
    };
  });

  wrap('Square', (orig) => (dy, saved, attrs) => {
    const [x] = saved;
    if (!onWasm() || x.dtype !== 'float32') return orig(dy, saved, attrs);
    return { x: () => run(tf, FUSED_GRAD_KERNELS.squareGrad, { x, dy: dy as Tensor }) as Tensor };
  });

  return () => {
    for (const g of originals) tf.registerGradient(g);
  };
};
