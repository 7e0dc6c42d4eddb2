import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, ModuleFor } from './wasm-backend-io';
import { output, ptr, withModule } from './wasm-backend-io';

/** The tfjs utilities these wrappers use. */
export interface TfUtilLike {
  util: { parseAxisParam(axis: number | number[], shape: number[]): number[] };
}

interface RefCountingBackend {
  incRef(dataId: object): void;
}

const size = (t: TensorInfo): number => t.shape.reduce((a, b) => a * b, 1);

/** A replacement that serves the fast case itself and hands every other call to the stock kernel. */
const wrapStock = (stock: KernelConfig, fast: (args: KernelArgs) => TensorInfo | null): KernelConfig => ({
  ...stock,
  kernelFunc: ((args: KernelArgs) => fast(args) ?? stock.kernelFunc(args as never)) as unknown as KernelFunc,
});

/**
 * Identity without the copy: the stock wasm Identity copies the whole tensor, and tfjs clones every
 * tensor it saves for the backward pass through Identity. Tensors are immutable, so sharing the
 * data id with a reference count (as Reshape does, and as the cpu backend's Identity does) is safe.
 */
export const zeroCopyIdentity = (stock: KernelConfig): KernelConfig =>
  wrapStock(stock, ({ inputs, backend }) => {
    const { x } = inputs;
    if (x.dtype === 'string') return null;
    (backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });

/** Cast to the same dtype (tfjs-core's moments casts float32 to float32) without the copy. */
export const zeroCopyCast = (stock: KernelConfig): KernelConfig =>
  wrapStock(stock, ({ inputs, backend, attrs }) => {
    const { x } = inputs;
    if (x.dtype === 'string' || (attrs as { dtype: string }).dtype !== x.dtype) return null;
    (backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });

/** The slice helpers these wrappers use. */
export interface TfSliceLike {
  slice_util: {
    parseSliceParams(x: TensorInfo, begin: number | number[], size?: number | number[]): number[][];
  };
}

/** Float32 slices of rank <= 4 as contiguous-run copies (the stock one copies row by row from JS). */
export const fastSlice = (tf: TfSliceLike, moduleFor: ModuleFor, stock: KernelConfig) =>
  wrapStock(stock, ({ inputs, backend, attrs }) => {
    const { x } = inputs;
    const { begin, size: sz } = attrs as { begin: number | number[]; size?: number | number[] };
    if (x.dtype !== 'float32' || x.shape.length === 0 || x.shape.length > 4) return null;
    const [b, s] = tf.slice_util.parseSliceParams(x, begin, sz);
    if (s.some((d) => d === 0)) return null;
    const pad = 4 - x.shape.length;
    const four = (a: number[], fill: number) => [...Array(pad).fill(fill), ...a];
    return withModule(moduleFor, backend, (mod, be) => {
      const [out, op] = output(be, [...s]);
      const shapeP = mod.writeInts(four(x.shape, 1));
      const beginP = mod.writeInts(four(b, 0));
      const sizeP = mod.writeInts(four(s, 1));
      mod.exports.sf_slice4d(ptr(be, x), shapeP, beginP, sizeP, op);
      return out;
    });
  });

/** True when `axis` names every axis but the last (per-channel statistics of NHWC batches). */
export const isAllButLast = (tf: TfUtilLike, axis: number | number[], shape: number[]): boolean => {
  if (shape.length < 2) return false;
  const axes = [...tf.util.parseAxisParam(axis, shape)].sort((a, b) => a - b);
  return axes.length === shape.length - 1 && axes.every((a, i) => a === i);
};

const channelReduce =
  (tf: TfUtilLike, moduleFor: ModuleFor, mean: boolean) =>
  ({ inputs, backend, attrs }: KernelArgs): TensorInfo | null => {
    const { x } = inputs;
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32' || size(x) === 0 || !isAllButLast(tf, axis, x.shape)) return null;
    const channels = x.shape[x.shape.length - 1];
    const positions = size(x) / channels;
    return withModule(moduleFor, backend, (mod, be) => {
      const shape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
      const [out, op] = output(be, shape);
      const block = mod.scratch(channels);
      mod.exports.sf_channel_sum(ptr(be, x), positions, channels, mean ? 1 / positions : 1, op, block);
      return out;
    });
  };

/** Mean with a fast per-channel path (the stock one transposes the whole batch first). */
export const fastMean = (tf: TfUtilLike, moduleFor: ModuleFor, stock: KernelConfig) =>
  wrapStock(stock, channelReduce(tf, moduleFor, true));

/** Sum with the same fast per-channel path. */
export const fastSum = (tf: TfUtilLike, moduleFor: ModuleFor, stock: KernelConfig) =>
  wrapStock(stock, channelReduce(tf, moduleFor, false));

/** FusedBatchNorm forward for per-channel (rank-1) statistics, SIMD over channels. */
export const fastFusedBatchNorm = (moduleFor: ModuleFor, stock: KernelConfig) =>
  wrapStock(stock, ({ inputs, backend, attrs }) => {
    const { x, mean, variance, offset, scale } = inputs;
    const c = x.shape[x.shape.length - 1];
    const perChannel = (t: TensorInfo | undefined) =>
      t == null || (t.shape.length === 1 && t.shape[0] === c && t.dtype === 'float32');
    if (x.dtype !== 'float32' || !mean || !variance || ![mean, variance, offset, scale].every(perChannel))
      return null;
    const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    return withModule(moduleFor, backend, (mod, be) => {
      const [out, y] = output(be, [...x.shape]);
      const factor = mod.scratch(c);
      mod.exports.sf_batchnorm_fwd(
        ptr(be, x),
        ptr(be, mean),
        ptr(be, variance),
        scale ? ptr(be, scale) : 0,
        offset ? ptr(be, offset) : 0,
        eps,
        size(x) / c,
        c,
        y,
        factor,
      );
      return out;
    });
  });
