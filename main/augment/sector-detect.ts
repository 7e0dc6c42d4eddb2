import { boundingBox, boxPolygon, convexHull, spanAt, type Point } from './augment-geometry';

/** Decoded 8-bit pixels, row-major, interleaved channels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/**
 * The scan sector (the non-black fan or rectangle) of one image, in normalised coordinates
 * (0..1 of the frame, origin top-left). JSON-serialisable so the catalog can store it per image.
 */
export interface SectorInfo {
  /** False when no plausible sector was found; the polygon is then the whole frame. */
  found: boolean;
  /** Convex polygon around the sector. */
  polygon: Array<[number, number]>;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  /** Fraction of the frame covered by the sector's pixels. */
  coverage: number;
}

export interface DetectSectorOptions {
  /** Grey level 0..1 above which a (box-averaged) pixel belongs to the scan. Default 0.06. */
  threshold?: number;
  /** Longest side of the downscaled working image. Default 128. */
  maxSide?: number;
  /** Below this coverage the detection is rejected as implausible. Default 0.05. */
  minCoverage?: number;
}

/** The whole frame as a sector: what callers use when detection fails or is not wanted. */
export const fullFrameSector = (): SectorInfo => ({
  found: false,
  polygon: [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ],
  bbox: { x0: 0, y0: 0, x1: 1, y1: 1 },
  coverage: 1,
});

/** Box-averages to at most `maxSide` px and returns grey levels 0..255 with the block factor. */
const downscaleGrey = (img: RawImage, maxSide: number) => {
  const f = Math.max(1, Math.ceil(Math.max(img.width, img.height) / maxSide));
  const w = Math.ceil(img.width / f);
  const h = Math.ceil(img.height / f);
  const sum = new Float32Array(w * h);
  const count = new Float32Array(w * h);
  const c = img.channels;
  const colours = c >= 3 ? 3 : 1;
  const cell = new Int32Array(img.width);
  for (let x = 0; x < img.width; x++) cell[x] = Math.floor(x / f);
  const d = img.data;
  for (let y = 0; y < img.height; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0, o = y * img.width * c; x < img.width; x++, o += c) {
      const v = colours === 3 ? (d[o] + d[o + 1] + d[o + 2]) / 3 : d[o];
      const k = row + cell[x];
      sum[k] += v;
      count[k] += 1;
    }
  }
  for (let k = 0; k < sum.length; k++) sum[k] /= count[k];
  return { grey: sum, w, h, f };
};

/** 3×3 erosion (or dilation) of a binary image. */
const morph = (src: Uint8Array, w: number, h: number, erode: boolean): Uint8Array => {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = erode ? 1 : 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          const s = yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : src[yy * w + xx];
          v = erode ? v & s : v | s;
        }
      }
      out[y * w + x] = v;
    }
  }
  return out;
};

/** Keeps the largest 4-connected component. */
const largestComponent = (on: Uint8Array, w: number, h: number): { mask: Uint8Array; size: number } => {
  const label = new Int32Array(w * h);
  const queue = new Int32Array(w * h);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < on.length; start++) {
    if (!on[start] || label[start]) continue;
    next += 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    label[start] = next;
    while (head < tail) {
      const k = queue[head++];
      const x = k % w;
      const y = (k - x) / w;
      const neighbours = [
        x > 0 ? k - 1 : -1,
        x < w - 1 ? k + 1 : -1,
        y > 0 ? k - w : -1,
        y < h - 1 ? k + w : -1,
      ];
      for (const n of neighbours) {
        if (n >= 0 && on[n] && !label[n]) {
          label[n] = next;
          queue[tail++] = n;
        }
      }
    }
    if (tail > bestSize) {
      bestSize = tail;
      best = next;
    }
  }
  const mask = new Uint8Array(w * h);
  for (let k = 0; k < mask.length; k++) mask[k] = label[k] === best && best > 0 ? 1 : 0;
  return { mask, size: bestSize };
};

/**
 * Finds the scan sector of an ultrasound frame, cheaply (≈1 ms at 256 px): box-average to ≤128 px,
 * threshold, erode once (detaches thin burned-in text and caliper marks), keep the largest
 * connected region, dilate it back inside the thresholded image, and return the convex hull of
 * its rows' extents. Convex because fans and linear-probe rectangles are (the small lens above a
 * curved probe's inner arc is accepted), and so dark anatomy touching the fan edge (cysts, shadows)
 * stays inside the sector. A region spanning the whole top edge is taken as an image cropped to a
 * rectangular scan and extended to the bottom edge.
 */
export const detectSector = (img: RawImage, options: DetectSectorOptions = {}): SectorInfo => {
  const threshold = (options.threshold ?? 0.06) * 255;
  const { grey, w, h, f } = downscaleGrey(img, options.maxSide ?? 128);
  const on = new Uint8Array(w * h);
  for (let k = 0; k < on.length; k++) on[k] = grey[k] > threshold ? 1 : 0;
  const core = largestComponent(morph(on, w, h, true), w, h);
  if (core.size === 0) return fullFrameSector();
  const grown = morph(core.mask, w, h, false);
  const points: Point[] = [];
  let area = 0;
  for (let y = 0; y < h; y++) {
    let lo = -1;
    let hi = -1;
    for (let x = 0; x < w; x++) {
      if (grown[y * w + x] && on[y * w + x]) {
        if (lo < 0) lo = x;
        hi = x;
        area += 1;
      }
    }
    if (lo < 0) continue;
    const nx = (x: number) => Math.min(1, (x * f) / img.width);
    const ny = (v: number) => Math.min(1, (v * f) / img.height);
    points.push([nx(lo), ny(y)], [nx(lo), ny(y + 1)], [nx(hi + 1), ny(y)], [nx(hi + 1), ny(y + 1)]);
  }
  const coverage = area / (w * h);
  if (coverage < (options.minCoverage ?? 0.05)) return { ...fullFrameSector(), coverage };
  let hull = convexHull(points);
  let b = boundingBox(hull);
  const top = spanAt(hull, b.y + 0.02);
  if (b.y <= 0.03 && top && top[1] - top[0] >= 0.9) {
    // The scan starts across the whole top edge: the image was cropped to a rectangular scan
    // (linear probe, or a data set's crop). Its lower edge is the frame's, not the first dark
    // rows (anechoic tissue and acoustic shadows look exactly like the scanner's background).
    hull = boxPolygon({ x: b.x, y: b.y, w: b.w, h: 1 - b.y });
    b = boundingBox(hull);
  }
  return {
    found: true,
    polygon: hull.map(([x, y]) => [x, y]),
    bbox: { x0: b.x, y0: b.y, x1: b.x + b.w, y1: b.y + b.h },
    coverage,
  };
};
