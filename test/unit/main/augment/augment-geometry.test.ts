import { describe, expect, it } from 'vitest';
import {
  apply,
  boxPolygon,
  compose,
  convexClip,
  convexHull,
  convexRowSpans,
  inscribedBox,
  invert,
  rotationAbout,
  toTransformRow,
  translate,
} from '../../../../main/augment/augment-geometry';

const close = (p: readonly number[], q: readonly number[]) =>
  p.forEach((v, i) => expect(v).toBeCloseTo(q[i], 9));

describe('affine helpers', () => {
  it('compose applies the right map first; invert undoes', () => {
    const m = compose(translate(1, 2), rotationAbout(30, [5, 5]));
    close(apply(invert(m), apply(m, [3, 4])), [3, 4]);
    close(apply(compose(translate(1, 0), translate(0, 2)), [0, 0]), [1, 2]);
  });

  it('rotation by +90° about the centre takes the output top-left to the input top-right', () => {
    // Output→input map: output (0.5, 0.5) (top-left pixel centre of a 4×4 frame) reads input (3.5, 0.5).
    close(apply(rotationAbout(90, [2, 2]), [0.5, 0.5]), [3.5, 0.5]);
  });

  it('toTransformRow shifts edge coordinates to pixel indices', () => {
    // Identity stays identity; a translation by +1 edge px reads the next pixel index.
    close(toTransformRow([1, 0, 0, 0, 1, 0]), [1, 0, 0, 0, 1, 0, 0, 0]);
    close(toTransformRow(translate(1, 0)), [1, 0, 1, 0, 1, 0, 0, 0]);
  });
});

describe('polygons', () => {
  it('convex hull drops interior points', () => {
    const hull = convexHull([
      [0, 0],
      [2, 0],
      [1, 1],
      [2, 2],
      [0, 2],
      [1, 0.5],
    ]);
    expect(hull).toHaveLength(4);
    expect(hull).not.toContainEqual([1, 1]);
  });

  it('row spans of a triangle (apex up) widen with depth', () => {
    const left = new Float32Array(4);
    const right = new Float32Array(4);
    convexRowSpans(
      [
        [2, 0],
        [4, 4],
        [0, 4],
      ],
      4,
      left,
      right,
    );
    // At row centre y = j + 0.5 the span is 2 ± y/2.
    close(Array.from(left), [1.75, 1.25, 0.75, 0.25]);
    close(Array.from(right), [2.25, 2.75, 3.25, 3.75]);
  });

  it('clips a polygon to a box', () => {
    const clipped = convexClip(boxPolygon({ x: -1, y: -1, w: 4, h: 4 }), { x: 0, y: 0, w: 2, h: 2 });
    const xs = clipped.map((p) => p[0]);
    const ys = clipped.map((p) => p[1]);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([0, 2, 0, 2]);
  });

  it('the rectangle inscribed in an axis-aligned box is the box', () => {
    const b = inscribedBox(boxPolygon({ x: 1, y: 2, w: 10, h: 5 }))!;
    expect(b.x).toBeCloseTo(1, 6);
    expect(b.w).toBeCloseTo(10, 6);
    expect(b.h).toBeCloseTo(5, 6);
  });

  it('the rectangle inscribed in a diamond |x|+|y| ≤ 1 is the 1×1 square', () => {
    // Area of an inscribed w×h rectangle is w·h with w/2 + h/2 ≤ 1: max at w = h = 1.
    const b = inscribedBox([
      [0, -1],
      [1, 0],
      [0, 1],
      [-1, 0],
    ])!;
    expect(b.w * b.h).toBeGreaterThan(0.99);
    expect(b.w).toBeCloseTo(1, 1);
    expect(b.x).toBeCloseTo(-0.5, 1);
  });
});
