import type { Optimizer, Scalar, Tensor } from '@tensorflow/tfjs';
import type { StoredArray } from './checkpoint-file';
import type { Batch, BatchContext, BatchSource, FitModel, LossFn, Tf } from './fit-types';

const batchTensors = (b: Batch): Tensor[] => [...(Array.isArray(b.x) ? b.x : [b.x]), b.y];

/**
 * One custom training step: loss and gradients of the trainable variables only
 * (`tf.variableGrads`), then `optimizer.applyGradients` with the gradients as an ORDERED list, so a
 * positional optimizer state (SGD momentum accumulators) always lines up with the same variable,
 * also after a resume. Frozen variables are not in the list and get neither gradient nor update.
 * Every intermediate tensor is freed by `tf.tidy`, also when the step throws (out-of-memory).
 * Resolves the batch's mean loss.
 */
export const trainStep = async (
  tf: Tf,
  model: FitModel,
  lossFn: LossFn,
  optimizer: Optimizer,
  source: BatchSource,
  indices: readonly number[],
  ctx: BatchContext,
): Promise<number> => {
  const batch = await source.batch(indices, ctx);
  try {
    const loss = tf.tidy((): Scalar => {
      const vars = model.trainableVariables();
      const { value, grads } = tf.variableGrads(() => lossFn(batch.y, model.apply(batch.x, true)), vars);
      optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      return value;
    });
    const [v] = await loss.data();
    loss.dispose();
    return v!;
  } finally {
    tf.dispose(batchTensors(batch));
  }
};

/**
 * Mean loss and accuracy of `model` (inference mode) over a whole split, in batches. Accuracy is
 * argmax agreement for one-hot targets, or agreement at 0.5 for a single output column.
 */
export const evaluateSplit = async (
  tf: Tf,
  model: FitModel,
  lossFn: LossFn,
  source: BatchSource,
  batchSize: number,
  seed: number,
): Promise<{ loss: number; accuracy: number }> => {
  let lossSum = 0;
  let hits = 0;
  for (let offset = 0; offset < source.size; offset += batchSize) {
    const size = Math.min(batchSize, source.size - offset);
    const indices = Array.from({ length: size }, (_, i) => offset + i);
    const batch = await source.batch(indices, { phase: 'eval', epoch: 0, offset, seed });
    try {
      const [loss, correct] = tf.tidy(() => {
        const pred = model.apply(batch.x, false);
        const y = batch.y;
        const agree =
          y.shape[y.shape.length - 1] === 1
            ? tf.equal(tf.greater(pred, 0.5), tf.greater(y, 0.5))
            : tf.equal(tf.argMax(pred, -1), tf.argMax(y, -1));
        return [lossFn(y, pred), tf.sum(tf.cast(agree, 'float32'))];
      });
      lossSum += (await loss.data())[0]! * size;
      hits += (await correct.data())[0]!;
      tf.dispose([loss, correct]);
    } finally {
      tf.dispose(batchTensors(batch));
    }
  }
  return { loss: lossSum / source.size, accuracy: hits / source.size };
};

/** {@link evaluateSplit}, halving the batch on out-of-memory (validation must not kill a run either). */
export const evaluateSplitWithRetry = async (
  tf: Tf,
  model: FitModel,
  lossFn: LossFn,
  source: BatchSource,
  batchSize: number,
  seed: number,
  isOom: (err: unknown) => boolean,
): Promise<{ loss: number; accuracy: number }> => {
  for (let size = batchSize; ; size = Math.floor(size / 2)) {
    try {
      return await evaluateSplit(tf, model, lossFn, source, size, seed);
    } catch (err) {
      if (!isOom(err) || size <= 1) throw err;
    }
  }
};

/** Reads every state variable of the model into arrays (for a checkpoint). */
export const readModelWeights = async (model: FitModel): Promise<StoredArray[]> =>
  Promise.all(
    model.stateVariables().map(async ({ name, variable }) => ({
      name,
      shape: variable.shape.slice(),
      dtype: variable.dtype === 'int32' ? ('int32' as const) : ('float32' as const),
      data: ((await variable.data()) as Float32Array | Int32Array).slice(),
    })),
  );

/** Assigns stored arrays to the model's state variables by name; every variable must be present. */
export const assignModelWeights = (tf: Tf, model: FitModel, arrays: readonly StoredArray[]): void => {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  for (const { name, variable } of model.stateVariables()) {
    const a = byName.get(name);
    if (!a) throw new Error(`checkpoint has no weight '${name}'`);
    if (a.shape.join('x') !== variable.shape.join('x'))
      throw new Error(
        `checkpoint weight '${name}' is ${a.shape.join('x')}, model has ${variable.shape.join('x')}`,
      );
    tf.tidy(() => variable.assign(tf.tensor(a.data, a.shape, a.dtype)));
  }
};

/**
 * Adam's running powers β1^t and β2^t: tfjs keeps them as variables outside `getWeights` and
 * recomputes them as pow(β, t+1) in `setWeights`, one ulp off the product the steps accumulate,
 * so they are saved and restored as they are (bit-identical resume).
 */
type RunningPowers = { accBeta1?: unknown; accBeta2?: unknown };
const POWERS = ['accBeta1', 'accBeta2'] as const;

/** The optimizer's state (iteration count, momentum accumulators, Adam's β powers) as arrays. */
export const readOptimizerState = async (tf: Tf, optimizer: Optimizer): Promise<StoredArray[]> => {
  const named = await optimizer.getWeights();
  const out = await Promise.all(
    named.map(async ({ name, tensor }) => ({
      name,
      shape: tensor.shape.slice(),
      dtype: tensor.dtype === 'int32' ? ('int32' as const) : ('float32' as const),
      data: ((await tensor.data()) as Float32Array | Int32Array).slice(),
    })),
  );
  // getWeights makes a fresh scalar for the iteration count; the accumulators are its own variables.
  tf.dispose(named.map((n) => n.tensor).filter((t) => !(t instanceof tf.Variable)));
  if (out.length === 0) return out;
  for (const key of POWERS) {
    const v = (optimizer as unknown as RunningPowers)[key];
    if (v instanceof tf.Variable)
      out.push({ name: `__${key}`, shape: [], dtype: 'float32', data: Float32Array.from(await v.data()) });
  }
  return out;
};

/** Restores {@link readOptimizerState} output into a freshly created optimizer of the same kind. */
export const restoreOptimizerState = async (
  tf: Tf,
  optimizer: Optimizer,
  arrays: readonly StoredArray[],
): Promise<void> => {
  if (arrays.length === 0) return;
  const powers = arrays.filter((a) => a.name.startsWith('__'));
  const named = arrays
    .filter((a) => !a.name.startsWith('__'))
    .map((a) => ({ name: a.name, tensor: tf.tensor(a.data, a.shape, a.dtype) }));
  // setWeights wraps each tensor in a new variable sharing its data; ours can then be released.
  await optimizer.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
  for (const p of powers) {
    const v = (optimizer as unknown as RunningPowers)[p.name.slice(2) as (typeof POWERS)[number]];
    if (v instanceof tf.Variable) tf.tidy(() => v.assign(tf.scalar(p.data[0]!)));
  }
};
