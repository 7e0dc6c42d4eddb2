/** Kernel radius for a batch's blur: 3·max sigma, at least 1, less than the frame (reflect padding). */
export const blurRadius = (sigmas: Float32Array, h: number, w: number): number =>
  Math.max(1, Math.min(Math.ceil(3 * Math.max(...sigmas)), h - 1, w - 1));

/** Below this sigma an image is not blurred (its taps are a unit impulse). */
export const MIN_BLUR_SIGMA = 0.05;

/** Normalised 1-D Gaussian taps of radius `r` (a unit impulse for sigma ≤ MIN_BLUR_SIGMA). */
export const gaussianTaps = (sigma: number, r: number): Float32Array => {
  const taps = new Float32Array(2 * r + 1);
  if (sigma <= MIN_BLUR_SIGMA) {
    taps[r] = 1;
    return taps;
  }
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += taps[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < taps.length; k++) taps[k] /= sum;
  return taps;
};
