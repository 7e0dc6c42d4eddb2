import type { Random } from '../../shared/random/seeded-random';

/** The demo's classes: four standard fetal views plus "other". */
export const phantomClasses = ['head', 'abdomen', 'femur', 'thorax', 'other'] as const;
export type PhantomClass = (typeof phantomClasses)[number];

/** Where a structure sits in the image (pixels) and how it is turned. */
export interface Pose {
  cx: number;
  cy: number;
  scale: number;
  angle: number;
}

/** Echo strength added at (x, y) by the structure of one class, before speckle. Range about -1..1.5. */
export type Echo = (x: number, y: number) => number;

const rotate = (x: number, y: number, p: Pose): [number, number] => {
  const dx = x - p.cx;
  const dy = y - p.cy;
  const c = Math.cos(-p.angle);
  const s = Math.sin(-p.angle);
  return [(dx * c - dy * s) / p.scale, (dx * s + dy * c) / p.scale];
};

const bump = (d: number, width: number): number => Math.exp(-(d * d) / (2 * width * width));

/** Head: bright elliptical skull ring, a midline echo, darker brain inside. */
const head =
  (p: Pose): Echo =>
  (x, y) => {
    const [u, v] = rotate(x, y, p);
    const r = Math.hypot(u / 1.0, v / 0.78);
    const ring = bump(r - 1, 0.06) * 1.4;
    const inside = r < 0.95 ? -0.35 : 0;
    const midline = r < 0.9 ? bump(v, 0.025) * 0.8 : 0;
    return ring + inside + midline;
  };

/** Abdomen: round soft-tissue section, dark stomach bubble, bright spine dot at the back. */
const abdomen =
  (p: Pose): Echo =>
  (x, y) => {
    const [u, v] = rotate(x, y, p);
    const r = Math.hypot(u, v);
    const wall = bump(r - 1, 0.07) * 0.6;
    const body = r < 1 ? 0.15 : 0;
    const stomach = Math.hypot((u + 0.3) / 0.28, (v + 0.15) / 0.2) < 1 ? -0.9 : 0;
    const spine = bump(Math.hypot(u - 0.55, v - 0.45), 0.08) * 1.3;
    return wall + body + stomach + spine;
  };

/** Femur: a thin, very bright bar with an acoustic shadow straight beneath it (away from the probe). */
const femur =
  (p: Pose): Echo =>
  (x, y) => {
    const [u, v] = rotate(x, y, p);
    const along = Math.abs(u) < 1 ? 1 : bump(Math.abs(u) - 1, 0.05);
    const bone = bump(v, 0.05) * along * 1.6;
    // The beam runs down the image: everything below the bone at this column is shadowed.
    const alongBone = (x - p.cx) / Math.cos(p.angle);
    const boneY = p.cy + Math.tan(p.angle) * (x - p.cx);
    const shadow = Math.abs(alongBone) < p.scale * 0.95 && y > boneY + p.scale * 0.08 ? -0.6 : 0;
    return bone + shadow;
  };

/** Thorax: round chest with bright rib arcs and a four-chamber heart (dark chambers, bright septa). */
const thorax =
  (p: Pose): Echo =>
  (x, y) => {
    const [u, v] = rotate(x, y, p);
    const r = Math.hypot(u, v);
    const ribs = r > 0.92 && r < 1.08 && Math.sin(Math.atan2(v, u) * 9) > 0.4 ? 1.1 : 0;
    const hr = Math.hypot((u + 0.15) / 0.45, (v - 0.05) / 0.38);
    const chambers = hr < 1 ? -0.8 : 0;
    const septa = hr < 1 ? (bump(u + 0.15, 0.03) + bump(v - 0.05, 0.03)) * 1.2 : 0;
    return (r < 1 ? 0.1 : 0) + ribs + chambers + septa;
  };

/** Other: amniotic fluid pockets, placenta-like band or cord loops; no standard view. */
const other = (p: Pose, rnd: Random): Echo => {
  const blobs = Array.from({ length: rnd.int(2, 4) }, () => ({
    x: p.cx + rnd.range(-0.9, 0.9) * p.scale,
    y: p.cy + rnd.range(-0.9, 0.9) * p.scale,
    r: rnd.range(0.15, 0.45) * p.scale,
    e: rnd.pick([-0.8, 0.5]),
  }));
  return (x, y) => blobs.reduce((acc, b) => acc + (Math.hypot(x - b.x, y - b.y) < b.r ? b.e : 0), 0);
};

export const anatomyEcho = (label: PhantomClass, pose: Pose, rnd: Random): Echo => {
  switch (label) {
    case 'head':
      return head(pose);
    case 'abdomen':
      return abdomen(pose);
    case 'femur':
      return femur(pose);
    case 'thorax':
      return thorax(pose);
    case 'other':
      return other(pose, rnd);
  }
};
