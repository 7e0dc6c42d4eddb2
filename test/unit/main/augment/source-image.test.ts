import { describe, expect, it } from 'vitest';
import { detectSector, type RawImage } from '../../../../main/augment/sector-detect';
import { fitSector, prepareSourceImage, stackImages } from '../../../../main/augment/source-image';

/** 160×80 RGB: a bright 80×60 block at x 40..119, y 10..69 on black. */
const wide = (): RawImage => {
  const data = new Uint8Array(160 * 80 * 3);
  for (let y = 10; y < 70; y++)
    for (let x = 40; x < 120; x++)
      data.fill(90 + ((x * 7 + y * 3) % 100), (y * 160 + x) * 3, (y * 160 + x) * 3 + 3);
  return { data, width: 160, height: 80, channels: 3 };
};

describe('prepareSourceImage', () => {
  it('letterboxes into a grey square (contain)', async () => {
    const p = await prepareSourceImage(wide(), { size: 64, fit: 'contain', grayscale: true });
    expect([p.width, p.height, p.channels]).toEqual([64, 64, 1]);
    // 160×80 → 64×32, centred: rows 0..15 and 48..63 are black padding.
    expect(Math.max(...p.data.subarray(0, 16 * 64))).toBe(0);
    expect(Math.max(...p.data.subarray(48 * 64))).toBe(0);
  });

  it('keeps RGB when asked', async () => {
    const p = await prepareSourceImage(wide(), { size: 32, fit: 'fill', grayscale: false });
    expect([p.width, p.height, p.channels]).toEqual([32, 32, 3]);
  });

  it('stackImages makes a float [B,H,W,C] batch in [0,1] and rejects mixed sizes', async () => {
    const a = await prepareSourceImage(wide(), { size: 16, fit: 'contain', grayscale: true });
    const t = stackImages([a, a]);
    expect(t.shape).toEqual([2, 16, 16, 1]);
    expect(t.max().dataSync()[0]).toBeLessThanOrEqual(1);
    t.dispose();
    const b = await prepareSourceImage(wide(), { size: 8, fit: 'contain', grayscale: true });
    expect(() => stackImages([a, b])).toThrow(/expected 16×16×1/);
  });
});

describe('fitSector', () => {
  for (const fit of ['contain', 'cover', 'fill'] as const) {
    it(`maps a sector found on the original like detecting it on the ${fit} result`, async () => {
      const source = { size: 128, fit, grayscale: true };
      const mapped = fitSector(detectSector(wide()), { width: 160, height: 80 }, source).bbox;
      const direct = detectSector(await prepareSourceImage(wide(), source)).bbox;
      // Within two pixels of the 128-px frame (Lanczos ringing and the 2-px detection grid).
      for (const k of ['x0', 'y0', 'x1', 'y1'] as const)
        expect(Math.abs(mapped[k] - direct[k])).toBeLessThan(2.5 / 128);
    });
  }
});
