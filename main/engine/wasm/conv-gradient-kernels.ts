import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, ModuleFor, TfLike } from './wasm-backend-io';
import { convGeom, output, ptr, withModule } from './wasm-backend-io';

type Pad =
  'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;
type Pair = [number, number] | number;

/** im2col scratch is processed in chunks of output positions of at most this many floats. */
const COL_FLOATS = 1 << 21;

const chunkRows = (kk: number, positions: number): number =>
  Math.max(1, Math.min(positions, Math.floor(COL_FLOATS / Math.max(1, kk))));

/** Conv2DBackpropFilter: dW = im2col(x)^T · dy, via the packed SIMD GEMM. */
export const conv2dBackpropFilterConfig = (tf: TfLike, moduleFor: ModuleFor): KernelConfig => ({
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { x, dy } = inputs;
    const a = attrs as {
      strides: Pair;
      pad: Pad;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode: Rounding;
      filterShape: [number, number, number, number];
    };
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(a.dataFormat),
    );
    return withModule(moduleFor, backend, (mod, be) => {
      const kk = info.filterHeight * info.filterWidth * info.inChannels;
      const positions = info.batchSize * info.outHeight * info.outWidth;
      const [out, dwp] = output(be, [...a.filterShape]);
      const chunk = chunkRows(kk, positions);
      const col = mod.scratch(chunk * kk);
      const geom = mod.writeInts(convGeom(info, info.outChannels));
      mod.exports.sf_conv2d_backprop_filter(geom, ptr(be, x), ptr(be, dy), dwp, col, chunk, 0);
      return out;
    });
  }) as unknown as KernelFunc,
});

/** Conv2DBackpropInput: dx = col2im(dy · W^T), via the packed SIMD GEMM. */
export const conv2dBackpropInputConfig = (tf: TfLike, moduleFor: ModuleFor): KernelConfig => ({
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { dy, filter } = inputs;
    const a = attrs as {
      strides: Pair;
      pad: Pad;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode: Rounding;
      inputShape: [number, number, number, number];
    };
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as [number, number, number, number],
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(a.dataFormat),
    );
    return withModule(moduleFor, backend, (mod, be) => {
      const kk = info.filterHeight * info.filterWidth * info.inChannels;
      const positions = info.batchSize * info.outHeight * info.outWidth;
      const [out, dxp] = output(be, [...a.inputShape]);
      const chunk = chunkRows(kk, positions);
      const col = mod.scratch(chunk * kk);
      const geom = mod.writeInts(convGeom(info, info.outChannels));
      mod.exports.sf_conv2d_backprop_input(geom, ptr(be, dy), ptr(be, filter), dxp, col, chunk, 0);
      return out;
    });
  }) as unknown as KernelFunc,
});

const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2 };

/**
 * FusedConv2D (and Conv2D) forward as the same packed GEMM (im2col for k > 1), with bias and
 * linear/relu/relu6 in the epilogue; anything else (NCHW, dilation, prelu, leakyrelu) goes to the
 * stock XNNPACK kernel.
 */
export const fastConv2dForward = (tf: TfLike, moduleFor: ModuleFor, stock: KernelConfig): KernelConfig => ({
  ...stock,
  kernelFunc: ((args: KernelArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x, filter, bias, preluActivationWeights } = inputs;
    const a = attrs as {
      strides: Pair;
      pad: Pad;
      dataFormat: 'NHWC' | 'NCHW';
      dilations?: Pair;
      dimRoundingMode: Rounding;
      activation?: string;
    };
    const act = ACTIVATIONS[a.activation ?? 'linear'];
    const dil = a.dilations ?? 1;
    const dilated = Array.isArray(dil) ? dil[0] !== 1 || dil[1] !== 1 : dil !== 1;
    const biasOk = !bias || (bias.shape.length === 1 && bias.shape[0] === filter.shape[3]);
    if (
      act === undefined ||
      preluActivationWeights ||
      dilated ||
      !biasOk ||
      a.dataFormat === 'NCHW' ||
      x.dtype !== 'float32'
    ) {
      return stock.kernelFunc(args as never) as TensorInfo;
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    return withModule(moduleFor, backend, (mod, be) => {
      const kk = info.filterHeight * info.filterWidth * info.inChannels;
      const positions = info.batchSize * info.outHeight * info.outWidth;
      const [out, yp] = output(be, [...info.outShape]);
      const chunk = chunkRows(kk, positions);
      const col = mod.scratch(chunk * kk);
      const geom = mod.writeInts(convGeom(info, info.outChannels));
      mod.exports.sf_conv2d_forward(
        geom,
        ptr(be, x),
        ptr(be, filter),
        bias ? ptr(be, bias) : 0,
        act,
        yp,
        col,
        chunk,
        0,
      );
      return out;
    });
  }) as unknown as KernelFunc,
});
