import type * as tfType from '@tensorflow/tfjs';
import type { GraphNode, Layer, Op, SymRef, Tensor, Tf } from './inference-conv-fusion';
import { nameOf, nestedModel, planFusedConv } from './inference-conv-fusion';

/** Options of {@link createInferenceModel}. */
export interface InferenceModelOptions {
  /**
   * Names of layers whose outputs `predict(x, name)` may return besides the model's own output
   * (e.g. the pooled feature layer); their outputs are kept out of fusion.
   */
  outputs?: readonly string[];
  /** Larger batches run in chunks of this many images, as `model.predict` does (default 32). */
  batchSize?: number;
}

/** An inference-only view of a LayersModel that runs the model's graph with BatchNorm folded. */
export interface InferenceModel {
  /**
   * Inference-mode (training=false) output for the batch `x`: the model's first output, or the
   * output of `layer` (one of the model's outputs or of {@link InferenceModelOptions.outputs}).
   * The caller owns the returned tensor; no other tensor is left behind.
   */
  predict(x: Tensor, layer?: string): Tensor;
  /** Convolutions that absorbed a BatchNormalization (and activation / zero padding) layer. */
  readonly foldedConvs: number;
  /** Layers run through their own `apply` (no folding applied to them). */
  readonly plainLayers: number;
  /** Frees the folded weights (the source model is not touched). */
  dispose(): void;
}

/**
 * Builds an inference-only runner of `model`'s graph in which every Conv2D / DepthwiseConv2D
 * (linear, NHWC, no dilation) followed by a BatchNormalization on the last axis, and optionally by a
 * ReLU / ReLU6 / relu Activation, runs as ONE fused convolution (`tf.fused.conv2d` /
 * `tf.fused.depthwiseConv2d` with folded weights, bias and activation in the kernel's epilogue);
 * a ZeroPadding2D in front of a 'valid' convolution that equals 'same' padding is dropped too.
 * MobileNetV2 is conv→BN→ReLU6 throughout, so this removes every BatchNorm and ReLU6 pass and the
 * pad copies. Other layers (Add, pooling, Dense, nested models, …) run through their own `apply`
 * with training=false. Folded weights are computed on first use and again whenever a source weight
 * changed, so the runner stays valid while the model trains. Same outputs as `model.predict` up to
 * float rounding.
 */
export const createInferenceModel = (
  tf: Tf,
  model: tfType.LayersModel,
  options: InferenceModelOptions = {},
): InferenceModel => {
  if (model.inputs.length !== 1) throw new Error('createInferenceModel: models with one input only');
  const inputId = (model.inputs[0] as unknown as SymRef).id;
  const entries: { layer: Layer; node: GraphNode }[] = [];
  const known = new Set<number>([inputId]);
  for (const layer of model.layers) {
    if (nameOf(layer) === 'InputLayer') continue;
    for (const node of (layer as unknown as { inboundNodes: GraphNode[] }).inboundNodes) {
      const ins = node.inputTensors.map((t) => t.id);
      if (ins.length > 0 && ins.every((id) => known.has(id))) {
        entries.push({ layer, node });
        node.outputTensors.forEach((t) => known.add(t.id));
      }
    }
  }
  const outputIds = new Map<string, number>();
  for (const out of model.outputs) {
    const sym = out as unknown as SymRef & { sourceLayer: Layer };
    outputIds.set(sym.sourceLayer.name, sym.id);
  }
  for (const name of options.outputs ?? []) {
    const sym = model.getLayer(name).output as unknown as SymRef;
    outputIds.set(name, sym.id);
  }
  const uses = new Map<number, number>();
  const use = (id: number) => uses.set(id, (uses.get(id) ?? 0) + 1);
  entries.forEach((e) => e.node.inputTensors.forEach((t) => use(t.id)));
  outputIds.forEach(use);
  /** The single entry consuming `id`, when `id` has exactly one use and it is that entry's only input. */
  const soleConsumer = (id: number) => {
    if (uses.get(id) !== 1) return null;
    const e = entries.find((c) => c.node.inputTensors.some((t) => t.id === id));
    return e && e.node.inputTensors.length === 1 ? e : null;
  };
  const producer = new Map<number, (typeof entries)[number]>();
  entries.forEach((e) => e.node.outputTensors.forEach((t) => producer.set(t.id, e)));

  const ops: Op[] = [];
  const absorbed = new Set<(typeof entries)[number]>();
  let foldedConvs = 0;
  let plainLayers = 0;
  for (const entry of entries) {
    if (absorbed.has(entry)) continue;
    const fused = planFusedConv(tf, entry, soleConsumer, producer, absorbed);
    if (fused) {
      ops.push(fused);
      foldedConvs++;
      continue;
    }
    const nested = nestedModel(entry.layer, entry.node);
    if (nested) {
      // A model used as a layer (e.g. a backbone inside a classifier): fold inside it too.
      const sub = createInferenceModel(tf, nested);
      foldedConvs += sub.foldedConvs;
      plainLayers += sub.plainLayers;
      ops.push({
        inputs: [entry.node.inputTensors[0]!.id],
        outputs: [entry.node.outputTensors[0]!.id],
        run: ([x]) => [sub.predict(x!)],
        dispose: sub.dispose,
      });
      continue;
    }
    plainLayers++;
    const { layer } = entry;
    ops.push({
      inputs: entry.node.inputTensors.map((t) => t.id),
      outputs: entry.node.outputTensors.map((t) => t.id),
      run: (ins) => {
        const out = layer.apply(ins.length === 1 ? ins[0] : ins, { training: false }) as Tensor | Tensor[];
        return Array.isArray(out) ? out : [out];
      },
    });
  }
  const batchSize = Math.max(1, options.batchSize ?? 32);
  const defaultLayer = (model.outputs[0] as unknown as { sourceLayer: Layer }).sourceLayer.name;

  /** Ops needed for `target`, in order (ancestors only). */
  const needed = new Map<number, Op[]>();
  const planFor = (target: number): Op[] => {
    const cached = needed.get(target);
    if (cached) return cached;
    const want = new Set<number>([target]);
    const keep: Op[] = [];
    for (let i = ops.length - 1; i >= 0; i--) {
      if (ops[i].outputs.some((id) => want.has(id))) {
        keep.push(ops[i]);
        ops[i].inputs.forEach((id) => want.add(id));
      }
    }
    keep.reverse();
    needed.set(target, keep);
    return keep;
  };

  return {
    foldedConvs,
    plainLayers,
    predict: (x, layer = defaultLayer) => {
      const target = outputIds.get(layer);
      if (target === undefined)
        throw new Error(`createInferenceModel: '${layer}' is not an output (pass it in options.outputs)`);
      const run = (xs: Tensor) => {
        const values = new Map<number, Tensor>([[inputId, xs]]);
        for (const op of planFor(target)) {
          const outs = op.run(op.inputs.map((id) => values.get(id)!));
          op.outputs.forEach((id, i) => values.set(id, outs[i]!));
        }
        return values.get(target)!;
      };
      const n = x.shape[0] ?? 0;
      return tf.tidy(() => {
        if (n <= batchSize) return run(x);
        // Like model.predict: bounded activations (the wasm heap is 4 GiB) for any batch.
        const parts: Tensor[] = [];
        for (let i = 0; i < n; i += batchSize) parts.push(run(tf.slice(x, i, Math.min(batchSize, n - i))));
        return tf.concat(parts, 0);
      });
    },
    dispose: () => ops.forEach((op) => op.dispose?.()),
  };
};
