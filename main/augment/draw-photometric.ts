import type { AugmentStep, DrawnStep } from '../../shared/augment/augment-config';
import type { PlanOp } from './augment-plan-types';
import { fillNormal, type Rng } from '../../shared/random/seeded-random';

export type PhotometricStep = Exclude<
  AugmentStep,
  { kind: 'resize' | 'rotation' | 'crop' | 'resized-crop' | 'hflip' | 'vflip' }
>;

/**
 * Bilinear upsampling with half-pixel centres and clamped edges (tf.image.resizeBilinear with
 * `halfPixelCenters`): speckle is drawn on a coarse grid (its grain) and smoothed up here, in JS, so
 * every execution path multiplies by the very same field.
 */
export const upsampleBilinear = (
  src: Float32Array,
  sh: number,
  sw: number,
  out: Float32Array,
  h: number,
  w: number,
): void => {
  const x0s = new Int32Array(w);
  const x1s = new Int32Array(w);
  const fxs = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const s = Math.max(0, ((x + 0.5) * sw) / w - 0.5);
    x0s[x] = Math.min(Math.floor(s), sw - 1);
    x1s[x] = Math.min(x0s[x] + 1, sw - 1);
    fxs[x] = s - x0s[x];
  }
  for (let y = 0; y < h; y++) {
    const s = Math.max(0, ((y + 0.5) * sh) / h - 0.5);
    const y0 = Math.min(Math.floor(s), sh - 1);
    const y1 = Math.min(y0 + 1, sh - 1);
    const fy = s - y0;
    for (let x = 0; x < w; x++) {
      const a = src[y0 * sw + x0s[x]] + (src[y0 * sw + x1s[x]] - src[y0 * sw + x0s[x]]) * fxs[x];
      const b = src[y1 * sw + x0s[x]] + (src[y1 * sw + x1s[x]] - src[y1 * sw + x0s[x]]) * fxs[x];
      out[y * w + x] = a + (b - a) * fy;
    }
  }
};

/** Per-image generators for one step: `params` for parameters, `noise` for noise fields. */
export interface StepStreams {
  params: Rng;
  noise: () => Rng;
}

/**
 * Draws a photometric step for every image of the batch (frame `h`×`w`) and returns the batch op
 * plus each image's drawn values. An image where the step does not apply gets the identity value
 * (factor 1, zero noise, sigma 0, no hole), so the batch op stays one tensor operation.
 */
export const drawPhotometric = (
  step: PhotometricStep,
  streams: StepStreams[],
  h: number,
  w: number,
): { op: PlanOp; drawn: DrawnStep[] } => {
  const B = streams.length;
  const drawn: DrawnStep[] = [];
  const record = (applied: boolean, values: DrawnStep['values']) =>
    drawn.push({ kind: step.kind, applied, values: applied ? values : {} });
  switch (step.kind) {
    case 'brightness':
    case 'contrast':
    case 'gamma': {
      const values = new Float32Array(B);
      const key = step.kind === 'gamma' ? 'gamma' : 'factor';
      streams.forEach(({ params }, i) => {
        const applied = params.chance(step.p);
        const v = params.uniform(step.range[0], step.range[1]);
        values[i] = applied ? v : 1;
        record(applied, { [key]: v });
      });
      return { op: { op: step.kind, values }, drawn };
    }
    case 'depth-gain': {
      const gains = new Float32Array(B * h);
      streams.forEach(({ params }, i) => {
        const applied = params.chance(step.p);
        const slopeDb = params.uniform(-step.maxDb, step.maxDb);
        for (let j = 0; j < h; j++) {
          const db = applied ? slopeDb * ((j + 0.5) / h - 0.5) : 0;
          gains[i * h + j] = 10 ** (db / 20);
        }
        record(applied, { slopeDb });
      });
      return { op: { op: 'depth-gain', h, gains }, drawn };
    }
    case 'speckle': {
      const nh = Math.ceil(h / step.grain);
      const nw = Math.ceil(w / step.grain);
      const coarse = new Float32Array(nh * nw);
      const noise = streams.map(({ params, noise: noiseRng }) => {
        const applied = params.chance(step.p);
        const sigma = params.uniform(step.sigma[0], step.sigma[1]);
        record(applied, { sigma });
        if (!applied) return null;
        const field = new Float32Array(h * w);
        fillNormal(noiseRng(), coarse, sigma);
        upsampleBilinear(coarse, nh, nw, field, h, w);
        return field;
      });
      return { op: { op: 'speckle', h, w, noise }, drawn };
    }
    case 'blur': {
      const sigmas = new Float32Array(B);
      streams.forEach(({ params }, i) => {
        const applied = params.chance(step.p);
        const sigma = params.uniform(step.sigma[0], step.sigma[1]);
        sigmas[i] = applied ? sigma : 0;
        record(applied, { sigma });
      });
      return { op: { op: 'blur', sigmas }, drawn };
    }
    case 'cutout': {
      const holes = Array.from({ length: step.count }, () => new Float32Array(B * 4));
      streams.forEach(({ params }, i) => {
        const applied = params.chance(step.p);
        const boxes: number[] = [];
        for (let k = 0; k < step.count; k++) {
          const side = params.uniform(step.size[0], step.size[1]) * Math.min(h, w);
          const cx = params.uniform(0, w);
          const cy = params.uniform(0, h);
          const x0 = Math.max(0, cx - side / 2);
          const y0 = Math.max(0, cy - side / 2);
          const box = [x0, y0, Math.min(w, cx + side / 2) - x0, Math.min(h, cy + side / 2) - y0];
          if (applied) {
            holes[k].set(box, i * 4);
            boxes.push(...box);
          }
        }
        record(applied, { boxes });
      });
      return { op: { op: 'cutout', h, w, value: step.value, holes }, drawn };
    }
  }
};
