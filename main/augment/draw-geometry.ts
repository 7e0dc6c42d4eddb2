import type { AugmentStep, CropRegion } from '../../shared/augment/augment-config';
import {
  boundingBox,
  convexClip,
  inscribedBox,
  intersectBoxes,
  polygonArea,
  rotationAbout,
  scale,
  compose,
  translate,
  IDENTITY,
  type Affine,
  type Box,
  type Polygon,
} from './augment-geometry';
import type { Rng } from '../../shared/random/seeded-random';

export type GeometricStep = Extract<
  AugmentStep,
  { kind: 'resize' | 'rotation' | 'crop' | 'resized-crop' | 'hflip' | 'vflip' }
>;

/** One image's draw for a geometric step: `map` takes new-frame points to previous-frame points. */
export interface GeometricDraw {
  map: Affine;
  applied: boolean;
  values: Record<string, number>;
}

/** The frame size after a step (deterministic: the batch stays uniform). */
export const frameAfter = (step: GeometricStep, h: number, w: number): { h: number; w: number } => {
  switch (step.kind) {
    case 'resize': {
      if (!step.keepAspect) return { h: step.size, w: step.size };
      const s = step.size / Math.min(h, w);
      return { h: Math.max(1, Math.round(h * s)), w: Math.max(1, Math.round(w * s)) };
    }
    case 'crop':
    case 'resized-crop':
      return { h: step.size, w: step.size };
    default:
      return { h, w };
  }
};

/** The region crops are drawn in (see `CropRegion`), clipped to the frame; the frame as fallback. */
const cropRegion = (region: CropRegion, sector: Polygon | null, h: number, w: number): Box => {
  const frame = { x: 0, y: 0, w, h };
  if (region === 'frame' || !sector) return frame;
  const clipped = convexClip(sector, frame);
  const inner = region === 'sector-inscribed' ? inscribedBox(clipped) : boundingBox(clipped);
  return inner && inner.w >= 1 && inner.h >= 1 ? intersectBoxes(inner, frame) : frame;
};

/** Integer offset of a `size` window in `[start, start+len]`, centred and clamped when it does not fit. */
const placeWindow = (rng: Rng, start: number, len: number, size: number, frame: number): number => {
  const lo = Math.ceil(start);
  const hi = Math.floor(start + len - size);
  const u = rng.next();
  if (hi >= lo) return lo + Math.min(hi - lo, Math.floor(u * (hi - lo + 1)));
  const centred = Math.round(start + (len - size) / 2);
  return frame >= size ? Math.min(Math.max(centred, 0), frame - size) : centred;
};

/** torchvision RandomResizedCrop.get_params in continuous coordinates, inside `region`. */
const resizedCropBox = (
  rng: Rng,
  region: Box,
  scaleRange: readonly [number, number],
  ratio: readonly [number, number],
): Box => {
  const area = region.w * region.h;
  const logLo = Math.log(ratio[0]);
  const logHi = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(scaleRange[0], scaleRange[1]);
    const aspect = Math.exp(rng.uniform(logLo, logHi));
    const bw = Math.sqrt(target * aspect);
    const bh = Math.sqrt(target / aspect);
    if (bw > 0 && bh > 0 && bw <= region.w && bh <= region.h) {
      return {
        x: region.x + rng.next() * (region.w - bw),
        y: region.y + rng.next() * (region.h - bh),
        w: bw,
        h: bh,
      };
    }
  }
  // Fallback (as torchvision): the largest centred box with a ratio inside the range.
  const inRatio = region.w / region.h;
  let bw = region.w;
  let bh = region.h;
  if (inRatio < ratio[0]) bh = bw / ratio[0];
  else if (inRatio > ratio[1]) bw = bh * ratio[1];
  return { x: region.x + (region.w - bw) / 2, y: region.y + (region.h - bh) / 2, w: bw, h: bh };
};

/**
 * What a crop box keeps: `area`, its share of the frame; `sectorShare`, the share of the sector's
 * area (inside the frame) it contains, when a sector is known.
 */
export const cropShares = (
  box: Box,
  sector: Polygon | null,
  h: number,
  w: number,
): { area: number; sectorShare?: number } => {
  const area = (box.w * box.h) / (w * h);
  if (!sector) return { area };
  const whole = polygonArea(convexClip(sector, { x: 0, y: 0, w, h }));
  return whole > 0 ? { area, sectorShare: polygonArea(convexClip(sector, box)) / whole } : { area };
};

/**
 * Draws one image's parameters for a geometric step. `h`/`w` is the frame before the step and
 * `sector` the sector polygon in that frame (edge pixels), or null.
 */
export const drawGeometry = (
  step: GeometricStep,
  rng: Rng,
  h: number,
  w: number,
  sector: Polygon | null,
): GeometricDraw => {
  const next = frameAfter(step, h, w);
  switch (step.kind) {
    case 'resize':
      return {
        map: scale(w / next.w, h / next.h),
        applied: true,
        values: { height: next.h, width: next.w },
      };
    case 'rotation': {
      const applied = rng.chance(step.p);
      const [lo, hi] = typeof step.degrees === 'number' ? [-step.degrees, step.degrees] : step.degrees;
      const degrees = rng.uniform(lo, hi);
      if (!applied) return { map: IDENTITY, applied, values: {} };
      let c: [number, number] = [w / 2, h / 2];
      if (step.center === 'sector' && sector) {
        const b = boundingBox(sector);
        c = [b.x + b.w / 2, b.y + b.h / 2];
      }
      return { map: rotationAbout(degrees, c), applied, values: { degrees, cx: c[0], cy: c[1] } };
    }
    case 'crop': {
      const region = cropRegion(step.region, sector, h, w);
      const x = placeWindow(rng, region.x, region.w, step.size, w);
      const y = placeWindow(rng, region.y, region.h, step.size, h);
      const b = { x, y, w: step.size, h: step.size };
      return { map: translate(x, y), applied: true, values: { ...b, ...cropShares(b, sector, h, w) } };
    }
    case 'resized-crop': {
      const region = cropRegion(step.region, sector, h, w);
      let b = resizedCropBox(rng, region, step.scale, step.ratio);
      const kept = (box: Box) => cropShares(box, sector, h, w).sectorShare ?? 1;
      if (step.minSectorShare > 0) {
        for (let attempt = 1; attempt < 10 && kept(b) < step.minSectorShare; attempt++)
          b = resizedCropBox(rng, region, step.scale, step.ratio);
        if (kept(b) < step.minSectorShare) b = region;
      }
      return {
        map: compose(translate(b.x, b.y), scale(b.w / step.size, b.h / step.size)),
        applied: true,
        values: { x: b.x, y: b.y, w: b.w, h: b.h, ...cropShares(b, sector, h, w) },
      };
    }
    case 'hflip': {
      const applied = rng.chance(step.p);
      return { map: applied ? [-1, 0, w, 0, 1, 0] : IDENTITY, applied, values: {} };
    }
    case 'vflip': {
      const applied = rng.chance(step.p);
      return { map: applied ? [1, 0, 0, 0, -1, h] : IDENTITY, applied, values: {} };
    }
  }
};
