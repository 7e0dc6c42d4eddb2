import * as tf from '@tensorflow/tfjs';
import type { AugmentConfigInput } from '../../../../shared/augment/augment-config';

/** Uses the exact, slow-but-simple reference backend; tiny images keep it fast. */
export const useCpu = async (): Promise<void> => {
  await tf.setBackend('cpu');
  await tf.ready();
};

/** A 1-channel [1, h, w, 1] ramp whose pixel (x, y) is `(y·w + x) / (h·w − 1)`: every value distinct. */
export const ramp = (h: number, w: number): tf.Tensor4D =>
  tf.tensor4d(
    Array.from({ length: h * w }, (_, i) => i / (h * w - 1)),
    [1, h, w, 1],
  );

/** Values as integers `round(v · (n − 1))`, to compare with ramp indices. */
export const asIndices = (t: tf.Tensor, n: number): number[] =>
  Array.from(t.dataSync()).map((v) => Math.round(v * (n - 1)));

/** A config that only runs `steps`, with no channel expansion and no normalisation. */
export const bare = (outputSize: number, steps: AugmentConfigInput['steps']): AugmentConfigInput => ({
  outputSize,
  outputChannels: 1,
  normalize: { mode: 'none' },
  steps,
});

export { tf };
