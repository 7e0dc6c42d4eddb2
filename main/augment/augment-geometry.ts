/**
 * Plane geometry for the augmentation planner, in "edge" coordinates: a frame of W×H pixels spans
 * [0,W]×[0,H] and pixel (i,j) covers [i,i+1]×[j,j+1] (centre i+0.5). Resizes are then pure scales
 * (half-pixel centres, as torchvision and tf `halfPixelCenters`).
 */

/** `x' = a·x + b·y + c`, `y' = d·x + e·y + f`. */
export type Affine = readonly [number, number, number, number, number, number];
export type Point = readonly [number, number];
export type Polygon = readonly Point[];

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

export const translate = (tx: number, ty: number): Affine => [1, 0, tx, 0, 1, ty];
export const scale = (sx: number, sy: number): Affine => [sx, 0, 0, 0, sy, 0];

/** `compose(m, n)` applies `n` first, then `m`. */
export const compose = (m: Affine, n: Affine): Affine => [
  m[0] * n[0] + m[1] * n[3],
  m[0] * n[1] + m[1] * n[4],
  m[0] * n[2] + m[1] * n[5] + m[2],
  m[3] * n[0] + m[4] * n[3],
  m[3] * n[1] + m[4] * n[4],
  m[3] * n[2] + m[4] * n[5] + m[5],
];

export const invert = (m: Affine): Affine => {
  const det = m[0] * m[4] - m[1] * m[3];
  if (Math.abs(det) < 1e-12) throw new RangeError('singular affine map');
  const a = m[4] / det;
  const b = -m[1] / det;
  const d = -m[3] / det;
  const e = m[0] / det;
  return [a, b, -(a * m[2] + b * m[5]), d, e, -(d * m[2] + e * m[5])];
};

export const apply = (m: Affine, p: Point): Point => [
  m[0] * p[0] + m[1] * p[1] + m[2],
  m[3] * p[0] + m[4] * p[1] + m[5],
];

export const isIdentity = (m: Affine, eps = 1e-9): boolean =>
  m.every((v, i) => Math.abs(v - IDENTITY[i]) <= eps);

/**
 * Output→input map of a rotation by `degrees` counter-clockwise on screen (y down) about `c`:
 * `in = c + [[cos, −sin], [sin, cos]] (out − c)`.
 */
export const rotationAbout = (degrees: number, c: Point): Affine => {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  return [cos, -sin, c[0] - cos * c[0] + sin * c[1], sin, cos, c[1] - sin * c[0] - cos * c[1]];
};

/**
 * The 8 numbers tf.image.transform wants for an edge-coordinate output→input map: the kernel works
 * on pixel indices (centre = integer), so `K = T(−½) · M · T(+½)`.
 */
export const toTransformRow = (m: Affine): number[] => [
  m[0],
  m[1],
  m[2] + 0.5 * (m[0] + m[1]) - 0.5,
  m[3],
  m[4],
  m[5] + 0.5 * (m[3] + m[4]) - 0.5,
  0,
  0,
];

export const mapPolygon = (m: Affine, poly: Polygon): Polygon => poly.map((p) => apply(m, p));

export const boundingBox = (poly: Polygon): Box => {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of poly) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
};

/** Intersection of two boxes (zero-sized when disjoint). */
export const intersectBoxes = (a: Box, b: Box): Box => {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w);
  const y1 = Math.min(a.y + a.h, b.y + b.h);
  return { x, y, w: Math.max(0, x1 - x), h: Math.max(0, y1 - y) };
};

export const boxPolygon = (b: Box): Polygon => [
  [b.x, b.y],
  [b.x + b.w, b.y],
  [b.x + b.w, b.y + b.h],
  [b.x, b.y + b.h],
];

const cross = (o: Point, a: Point, b: Point): number =>
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull (Andrew's monotone chain), counter-clockwise in math orientation, no duplicates. */
export const convexHull = (points: readonly Point[]): Polygon => {
  const pts = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  if (pts.length <= 2) return pts;
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
};

/**
 * For each row centre `j + ½` of an H-row frame, the x-extent `[left, right]` of a convex polygon
 * (`left > right` where the row misses it). Writes into `left`/`right` at `offset`.
 */
export const convexRowSpans = (
  poly: Polygon,
  rows: number,
  left: Float32Array,
  right: Float32Array,
  offset = 0,
): void => {
  for (let j = 0; j < rows; j++) {
    const y = j + 0.5;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < poly.length; k++) {
      const [x0, y0] = poly[k];
      const [x1, y1] = poly[(k + 1) % poly.length];
      if ((y0 <= y && y <= y1) || (y1 <= y && y <= y0)) {
        const x = y1 === y0 ? Math.min(x0, x1) : x0 + ((y - y0) * (x1 - x0)) / (y1 - y0);
        const xb = y1 === y0 ? Math.max(x0, x1) : x;
        lo = Math.min(lo, x);
        hi = Math.max(hi, xb);
      }
    }
    left[offset + j] = Number.isFinite(lo) ? lo : 1e9;
    right[offset + j] = Number.isFinite(hi) ? hi : -1e9;
  }
};

/** x-extent of a convex polygon on the horizontal line `y` (null when the line misses it). */
export const spanAt = (poly: Polygon, y: number): [number, number] | null => {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < poly.length; k++) {
    const [x0, y0] = poly[k];
    const [x1, y1] = poly[(k + 1) % poly.length];
    if ((y0 <= y && y <= y1) || (y1 <= y && y <= y0)) {
      if (y0 === y1) {
        lo = Math.min(lo, x0, x1);
        hi = Math.max(hi, x0, x1);
      } else {
        const x = x0 + ((y - y0) * (x1 - x0)) / (y1 - y0);
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
  }
  return lo <= hi ? [lo, hi] : null;
};

/**
 * The (near-)largest axis-aligned rectangle inside a convex polygon. For a convex shape the
 * x-range shared by all rows between `top` and `bottom` is the intersection of those two rows'
 * spans, so trying every pair of `samples + 1` sampled rows (O(samples²)) finds it to within one
 * sample step.
 */
export const inscribedBox = (poly: Polygon, samples = 48): Box | null => {
  if (poly.length < 3) return null;
  const b = boundingBox(poly);
  if (b.h <= 0 || b.w <= 0) return null;
  const eps = b.h * 1e-9;
  const ys = Array.from({ length: samples + 1 }, (_, i) => b.y + eps + ((b.h - 2 * eps) * i) / samples);
  const spans = ys.map((y) => spanAt(poly, y));
  let best: Box | null = null;
  for (let i = 0; i < ys.length; i++) {
    const a = spans[i];
    if (!a) continue;
    for (let j = i + 1; j < ys.length; j++) {
      const c = spans[j];
      if (!c) continue;
      const x0 = Math.max(a[0], c[0]);
      const x1 = Math.min(a[1], c[1]);
      const area = (x1 - x0) * (ys[j] - ys[i]);
      if (x1 > x0 && (!best || area > best.w * best.h))
        best = { x: x0, y: ys[i], w: x1 - x0, h: ys[j] - ys[i] };
    }
  }
  return best;
};

/** Clips a convex polygon to a box (Sutherland–Hodgman); empty when they do not overlap. */
export const convexClip = (poly: Polygon, box: Box): Polygon => {
  const edges: Array<(p: Point) => number> = [
    (p) => p[0] - box.x,
    (p) => box.x + box.w - p[0],
    (p) => p[1] - box.y,
    (p) => box.y + box.h - p[1],
  ];
  let out: Point[] = [...poly];
  for (const inside of edges) {
    const input = out;
    out = [];
    for (let k = 0; k < input.length; k++) {
      const p = input[k];
      const q = input[(k + 1) % input.length];
      const dp = inside(p);
      const dq = inside(q);
      if (dp >= 0) out.push(p);
      if (dp >= 0 !== dq >= 0) {
        const t = dp / (dp - dq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
    if (out.length === 0) break;
  }
  return out;
};

/** Area of a simple polygon (shoelace formula; 0 for fewer than 3 points). */
export const polygonArea = (poly: Polygon): number => {
  let twice = 0;
  for (let k = 0; k < poly.length; k++) {
    const p = poly[k];
    const q = poly[(k + 1) % poly.length];
    twice += p[0] * q[1] - q[0] * p[1];
  }
  return poly.length < 3 ? 0 : Math.abs(twice) / 2;
};
