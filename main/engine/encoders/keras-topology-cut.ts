import { AppError } from '../../../shared/contract/result';

/** One layer entry of a Keras functional model config, as tfjs stores it in model.json. */
interface LayerEntry {
  class_name: string;
  name?: string;
  config: Record<string, unknown> & { name?: string };
  inbound_nodes?: unknown;
}

/** Options of {@link cutFunctionalTopology}. */
export interface TopologyCut {
  /** Layer whose output becomes the feature map (kept with all its ancestors, nothing after it). */
  featureLayer: string;
  /** New square input side; the InputLayer's batch shape is rewritten to [null, size, size, 3]. */
  inputSize: number;
  pooling: 'avg' | 'max';
  /**
   * Sets every kept layer's trainable flag (true: whole backbone fine-tunes, overriding nsfwjs's
   * freeze of blocks up to 10; false: frozen feature extractor).
   */
  trainable: boolean;
  /**
   * Overrides every BatchNormalization layer's momentum. Keras' 0.999 barely moves the pretrained
   * (natural-photo) moving statistics in a short fine-tune, so inference would normalise ultrasound
   * activations with ImageNet statistics; fine-tuning uses e.g. 0.9.
   */
  batchNormMomentum?: number;
}

/** Name of the pooling layer appended after the feature layer. */
export const featurePoolName = 'sonofuse_feature_pool';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Names of the layers feeding a layer (Keras 2 `[[name, node, tensor, kwargs]]` or Keras 3 `keras_history`). */
const inboundNames = (nodes: unknown, out: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(nodes)) {
    if (typeof nodes[0] === 'string' && typeof nodes[1] === 'number') out.add(nodes[0]);
    else for (const n of nodes) inboundNames(n, out);
  } else if (isRecord(nodes)) {
    const history = nodes.keras_history;
    if (Array.isArray(history) && typeof history[0] === 'string') out.add(history[0]);
    else for (const v of Object.values(nodes)) inboundNames(v, out);
  }
  return out;
};

const layerName = (l: LayerEntry): string => String(l.name ?? l.config.name);

/**
 * Rewrites a Keras functional model topology (tfjs layers format) into a feature extractor: keeps
 * `featureLayer` and its ancestors, appends global pooling, rewrites the input size and the
 * trainable flags, and drops the training config. Returns the new topology and the kept layer names
 * (weights are named `<layer>/<variable>`, so the caller can drop the weights of removed layers).
 */
export const cutFunctionalTopology = (
  topology: Record<string, unknown>,
  cut: TopologyCut,
): { topology: Record<string, unknown>; keptLayers: Set<string> } => {
  const copy = structuredClone(topology);
  const holder = isRecord(copy.model_config) ? copy.model_config : copy;
  const cls = holder.class_name;
  if ((cls !== 'Model' && cls !== 'Functional') || !isRecord(holder.config)) {
    throw new AppError(
      'INVALID_INPUT',
      `only Keras functional models can be cut at a layer (this one is ${String(cls)}); ` +
        're-save it as a functional model (e.g. keras.Model(inputs, outputs)) before converting',
    );
  }
  const config = holder.config as Record<string, unknown>;
  const layers = (config.layers ?? []) as LayerEntry[];
  const byName = new Map(layers.map((l) => [layerName(l), l]));
  if (!byName.has(cut.featureLayer)) {
    throw new AppError(
      'INVALID_INPUT',
      `feature layer "${cut.featureLayer}" is not a top-level layer of the model ` +
        `(last layers: ${layers.slice(-6).map(layerName).join(', ')})`,
    );
  }
  if (byName.has(featurePoolName))
    throw new AppError('INVALID_INPUT', `the model already has a layer ${featurePoolName}`);

  const kept = new Set<string>();
  const stack = [cut.featureLayer];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (kept.has(name)) continue;
    const layer = byName.get(name);
    if (!layer) throw new AppError('INVALID_INPUT', `layer ${name} is referenced but not defined`);
    kept.add(name);
    stack.push(...inboundNames(layer.inbound_nodes));
  }
  const keptLayers = layers.filter((l) => kept.has(layerName(l)));
  const inputs = keptLayers.filter((l) => l.class_name === 'InputLayer');
  if (inputs.length !== 1) {
    throw new AppError(
      'INVALID_INPUT',
      `the feature layer must depend on exactly one input (found ${inputs.length})`,
    );
  }
  const input = inputs[0];
  const shape = [null, cut.inputSize, cut.inputSize, 3];
  if ('batch_shape' in input.config) input.config.batch_shape = shape;
  else input.config.batch_input_shape = shape;
  for (const l of keptLayers) {
    l.config.trainable = cut.trainable;
    if (cut.batchNormMomentum !== undefined && l.class_name === 'BatchNormalization')
      l.config.momentum = cut.batchNormMomentum;
  }

  const poolClass = cut.pooling === 'avg' ? 'GlobalAveragePooling2D' : 'GlobalMaxPooling2D';
  keptLayers.push({
    class_name: poolClass,
    name: featurePoolName,
    config: { name: featurePoolName, trainable: true, data_format: 'channels_last' },
    inbound_nodes: [[[cut.featureLayer, 0, 0, {}]]],
  });
  config.layers = keptLayers;
  config.input_layers = [[layerName(input), 0, 0]];
  config.output_layers = [[featurePoolName, 0, 0]];
  delete copy.training_config;
  return { topology: copy, keptLayers: kept };
};
