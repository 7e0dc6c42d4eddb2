import type * as tfType from '@tensorflow/tfjs';
import type { FusedActivation } from './inference-folding';
import { foldBatchNorm, zeroPaddingIsSame } from './inference-folding';

/* Graph planning for inference-model.ts: which layers become one fused convolution. */

export type Tf = typeof tfType;
export type Tensor = tfType.Tensor;
export type Layer = tfType.layers.Layer;

/** The parts of a tfjs-layers SymbolicTensor the planner reads. */
export interface SymRef {
  id: number;
  shape: (number | null)[];
}
/** The parts of a tfjs-layers Node (one call of a layer) the planner reads. */
export interface GraphNode {
  inputTensors: SymRef[];
  outputTensors: SymRef[];
}
/** A tfjs-layers LayerVariable: `read()` is the current tf.Variable. */
export interface LayerVar {
  read(): Tensor;
}
/** Conv2D / DepthwiseConv2D fields (tfjs-layers internals, 4.22). */
export interface ConvFields {
  kernel?: LayerVar;
  depthwiseKernel?: LayerVar;
  bias?: LayerVar | null;
  useBias: boolean;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  kernelSize: number[];
  activation: { getClassName(): string };
  rank?: number;
}
/** BatchNormalization fields (tfjs-layers internals, 4.22). */
export interface BatchNormFields {
  axis: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma?: LayerVar;
  beta?: LayerVar;
  movingMean: LayerVar;
  movingVariance: LayerVar;
}

/** One step of the inference plan: symbolic tensor ids in and out. */
export interface Op {
  inputs: number[];
  outputs: number[];
  run(inputs: Tensor[]): Tensor[];
  dispose?(): void;
}

/** A layer's Keras class name. */
export const nameOf = (l: Layer) => l.getClassName();
const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

/** The activation of an (inference) activation layer, or null when it is not one the kernels fuse. */
const activationOf = (l: Layer): FusedActivation | null => {
  const cls = nameOf(l);
  if (cls === 'ReLU') {
    const max = (l as unknown as { maxValue?: number | null }).maxValue;
    return max == null ? 'relu' : max === 6 ? 'relu6' : null;
  }
  if (cls === 'Activation') {
    const a = (l as unknown as { activation: { getClassName(): string } }).activation.getClassName();
    return a === 'relu' || a === 'relu6' || a === 'linear' ? a : null;
  }
  return null;
};

/**
 * Weights folded from source variables, recomputed when any source variable was reassigned since
 * (training, `setWeights`): tfjs gives a variable a new data id on every `assign`.
 */
const foldedCache = (tf: Tf, sources: () => Tensor[], fold: () => Tensor[]) => {
  let ids: object[] = [];
  let held: Tensor[] = [];
  return {
    get(): Tensor[] {
      const now = sources().map((t) => (t as unknown as { dataId: object }).dataId);
      if (held.length === 0 || now.some((id, i) => id !== ids[i])) {
        tf.dispose(held);
        held = tf.tidy(() => fold());
        held.forEach((t) => tf.keep(t));
        ids = now;
      }
      return held;
    },
    dispose: () => {
      tf.dispose(held);
      held = [];
    },
  };
};

/** A layer and the node (call) of it that belongs to the planned model. */
export type Entry = { layer: Layer; node: GraphNode };

/** `layer` as a one-input, one-output LayersModel used as a layer, or null. */
export const nestedModel = (layer: Layer, node: GraphNode): tfType.LayersModel | null => {
  const m = layer as unknown as { layers?: unknown; inputs?: unknown[]; outputs?: unknown[] };
  return Array.isArray(m.layers) &&
    m.inputs?.length === 1 &&
    m.outputs?.length === 1 &&
    node.inputTensors.length === 1 &&
    node.outputTensors.length === 1
    ? (layer as unknown as tfType.LayersModel)
    : null;
};

/** conv [→ BN [→ activation]] starting at `entry` (with a droppable ZeroPadding2D before), or null. */
export const planFusedConv = (
  tf: Tf,
  entry: Entry,
  soleConsumer: (id: number) => Entry | null,
  producer: Map<number, Entry>,
  absorbed: Set<Entry>,
): Op | null => {
  const cls = nameOf(entry.layer);
  if (cls !== 'Conv2D' && cls !== 'DepthwiseConv2D') return null;
  const conv = entry.layer as unknown as ConvFields;
  const depthwise = cls === 'DepthwiseConv2D';
  const dil = pair(conv.dilationRate);
  if (
    conv.dataFormat !== 'channelsLast' ||
    conv.activation.getClassName() !== 'linear' ||
    dil[0] !== 1 ||
    dil[1] !== 1 ||
    (conv.padding !== 'same' && conv.padding !== 'valid')
  )
    return null;
  const bnEntry = soleConsumer(entry.node.outputTensors[0].id);
  if (!bnEntry || nameOf(bnEntry.layer) !== 'BatchNormalization') return null;
  const bn = bnEntry.layer as unknown as BatchNormFields;
  const rank = entry.node.outputTensors[0].shape.length;
  if (bn.axis !== -1 && bn.axis !== rank - 1) return null;
  let last = bnEntry;
  let activation: FusedActivation = 'linear';
  const actEntry = soleConsumer(bnEntry.node.outputTensors[0].id);
  const act = actEntry ? activationOf(actEntry.layer) : null;
  if (actEntry && act) {
    activation = act;
    last = actEntry;
  }
  const strides = pair(conv.strides);
  let inputId = entry.node.inputTensors[0].id;
  let pad: 'same' | 'valid' = conv.padding as 'same' | 'valid';
  const padEntry = producer.get(inputId);
  if (
    pad === 'valid' &&
    padEntry &&
    nameOf(padEntry.layer) === 'ZeroPadding2D' &&
    soleConsumer(inputId) === entry &&
    (padEntry.layer as unknown as { dataFormat: string }).dataFormat === 'channelsLast'
  ) {
    const padding = (padEntry.layer as unknown as { padding: [number, number][] }).padding;
    const inShape = padEntry.node.inputTensors[0].shape as number[];
    if (zeroPaddingIsSame(tf, inShape, padding, pair(conv.kernelSize), strides)) {
      inputId = padEntry.node.inputTensors[0].id;
      pad = 'same';
      absorbed.add(padEntry);
    }
  }
  absorbed.add(bnEntry);
  absorbed.add(last);
  const kernelVar = depthwise ? conv.depthwiseKernel! : conv.kernel!;
  const vars = (): Tensor[] => [
    kernelVar.read(),
    ...(conv.useBias && conv.bias ? [conv.bias.read()] : []),
    ...(bn.scale && bn.gamma ? [bn.gamma.read()] : []),
    ...(bn.center && bn.beta ? [bn.beta.read()] : []),
    bn.movingMean.read(),
    bn.movingVariance.read(),
  ];
  const weights = foldedCache(tf, vars, () => {
    const f = foldBatchNorm(
      tf,
      kernelVar.read(),
      conv.useBias && conv.bias ? conv.bias.read() : null,
      {
        gamma: bn.scale && bn.gamma ? bn.gamma.read() : null,
        beta: bn.center && bn.beta ? bn.beta.read() : null,
        movingMean: bn.movingMean.read(),
        movingVariance: bn.movingVariance.read(),
        epsilon: bn.epsilon,
      },
      depthwise,
    );
    return [f.kernel, f.bias];
  });
  return {
    inputs: [inputId],
    outputs: [last.node.outputTensors[0].id],
    run: ([x]) => {
      const [filter, bias] = weights.get();
      const args = {
        x: x as tfType.Tensor4D,
        filter: filter as tfType.Tensor4D,
        strides,
        pad,
        bias,
        activation,
      };
      return [depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args)];
    },
    dispose: weights.dispose,
  };
};
