import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, ModuleFor, TfLike } from './wasm-backend-io';
import { convGeom, output, ptr, withModule } from './wasm-backend-io';

type Pad =
  'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;
type Pair = [number, number] | number;
type Shape4 = [number, number, number, number];

interface DwAttrs {
  strides: Pair;
  dilations?: Pair;
  pad: Pad;
  dimRoundingMode: Rounding;
}

/** DepthwiseConv2dNativeBackpropInput: scatters dy·w back to the input positions (SIMD over channels). */
export const depthwiseBackpropInputConfig = (tf: TfLike, moduleFor: ModuleFor): KernelConfig => ({
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { dy, filter } = inputs;
    const a = attrs as unknown as DwAttrs & { inputShape: Shape4 };
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as Shape4,
      a.strides,
      a.dilations ?? 1,
      a.pad,
      a.dimRoundingMode,
      true,
    );
    return withModule(moduleFor, backend, (mod, be) => {
      const [out, dxp] = output(be, [...a.inputShape]);
      const geom = mod.writeInts(convGeom(info, filter.shape[3]));
      mod.exports.sf_dw_backprop_input(geom, ptr(be, dy), ptr(be, filter), dxp, 0, info.batchSize);
      return out;
    });
  }) as unknown as KernelFunc,
});

/** DepthwiseConv2dNativeBackpropFilter: accumulates x·dy per tap and channel (SIMD over channels). */
export const depthwiseBackpropFilterConfig = (tf: TfLike, moduleFor: ModuleFor): KernelConfig => ({
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { x, dy } = inputs;
    const a = attrs as unknown as DwAttrs & { filterShape: Shape4 };
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      a.filterShape,
      a.strides,
      a.dilations ?? 1,
      a.pad,
      a.dimRoundingMode,
      true,
    );
    return withModule(moduleFor, backend, (mod, be) => {
      const [out, dwp] = output(be, [...a.filterShape]);
      const geom = mod.writeInts(convGeom(info, a.filterShape[3]));
      mod.exports.sf_dw_backprop_filter(geom, ptr(be, x), ptr(be, dy), dwp, 0, info.batchSize, 0);
      return out;
    });
  }) as unknown as KernelFunc,
});
