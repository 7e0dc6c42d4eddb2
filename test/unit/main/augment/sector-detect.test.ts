import { describe, expect, it } from 'vitest';
import { spanAt } from '../../../../main/augment/augment-geometry';
import { createRng } from '../../../../shared/random/seeded-random';
import { detectSector, type RawImage, type SectorInfo } from '../../../../main/augment/sector-detect';

/** Grey image from a per-pixel function (values 0..255). */
const image = (w: number, h: number, f: (x: number, y: number) => number): RawImage => {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data[y * w + x] = Math.max(0, Math.min(255, f(x, y)));
  return { data, width: w, height: h, channels: 1 };
};

const inside = (s: SectorInfo, x: number, y: number): boolean => {
  const span = spanAt(s.polygon, y);
  return span !== null && x >= span[0] && x <= span[1];
};

// A convex-probe fan: apex at (100, 0), radii 30..190 px, ±35°, speckle-like texture 40..200, on
// black, with a dark cyst touching its left edge and a burned-in label at the top-left corner.
const W = 200;
const H = 200;
const rng = createRng(3);
const texture = Float32Array.from({ length: W * H }, () => 40 + 160 * rng.next());
const inFan = (x: number, y: number) => {
  const dx = x + 0.5 - 100;
  const dy = y + 0.5;
  const r = Math.hypot(dx, dy);
  return r >= 30 && r <= 190 && Math.abs(Math.atan2(dx, dy)) <= (35 * Math.PI) / 180;
};
const fan = image(W, H, (x, y) => {
  if (x >= 6 && x < 40 && y >= 6 && y < 12 && (x % 3 === 0 || y === 8)) return 255; // thin text strokes
  if (!inFan(x, y)) return 0;
  if (Math.hypot(x - 45, y - 140) < 14) return 2; // anechoic cyst at the fan's left border
  return texture[y * W + x];
});

describe('detectSector', () => {
  const s = detectSector(fan);

  it('finds the fan with a tight bounding box', () => {
    // Fan extent: x = 100 ± 190·sin 35° = 100 ± 109 → clipped to 0..200; y from 30·cos 35° = 24.6
    // to 190 (the arc's lowest point, on the axis). Tolerance: a 2-px cell of the working image.
    expect(s.found).toBe(true);
    expect(s.bbox.y0 * H).toBeGreaterThan(24.6 - 4);
    expect(s.bbox.y0 * H).toBeLessThan(24.6 + 4);
    expect(s.bbox.y1 * H).toBeGreaterThan(190 - 4);
    expect(s.bbox.y1 * H).toBeLessThan(190 + 4);
    expect(s.bbox.x0).toBe(0);
    expect(s.bbox.x1).toBe(1);
    expect(s.coverage).toBeGreaterThan(0.3);
    expect(s.coverage).toBeLessThan(0.7);
  });

  it('keeps the burned-in label outside and the dark cyst at the border inside', () => {
    expect(inside(s, 20 / W, 9 / H)).toBe(false);
    expect(inside(s, 45 / W, 140 / H)).toBe(true);
    expect(inside(s, 100 / W, 120 / H)).toBe(true);
    expect(inside(s, 5 / W, 40 / H)).toBe(false); // black corner beside the fan
  });

  it('reports no sector on a black image (whole frame instead)', () => {
    const none = detectSector(image(64, 64, () => 1));
    expect(none.found).toBe(false);
    expect(none.bbox).toEqual({ x0: 0, y0: 0, x1: 1, y1: 1 });
  });

  it('finds a linear-probe rectangle inside a black screen', () => {
    // Scan occupies x 40..159, y 20..179 of a 200×200 screen.
    const rect = detectSector(
      image(W, H, (x, y) => (x >= 40 && x < 160 && y >= 20 && y < 180 ? texture[y * W + x] : 0)),
    );
    expect(rect.found).toBe(true);
    expect(rect.bbox.x0).toBeCloseTo(0.2, 1);
    expect(rect.bbox.x1).toBeCloseTo(0.8, 1);
    expect(rect.bbox.y0).toBeCloseTo(0.1, 1);
    expect(rect.bbox.y1).toBeCloseTo(0.9, 1);
  });

  it('an image cropped to the scan keeps its dark lower part (shadow) in the sector', () => {
    // Texture across the full width in the top 60 %, black below (as BUSI normal_10).
    const cropped = detectSector(image(W, H, (x, y) => (y < 120 ? texture[y * W + x] : 1)));
    expect(cropped.found).toBe(true);
    expect(cropped.bbox.y1).toBe(1);
    expect(cropped.bbox.x1 - cropped.bbox.x0).toBeGreaterThan(0.97);
  });

  it('reads RGB(A) as grey', () => {
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set([fan.data[i], fan.data[i], fan.data[i], 255], i * 4);
    const s4 = detectSector({ data: rgba, width: W, height: H, channels: 4 });
    expect(s4.bbox).toEqual(s.bbox);
  });
});
