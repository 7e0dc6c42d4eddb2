import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPreset } from '../../../../shared/augment/augment-presets';
import {
  composeContactSheet,
  renderAugmentationPreview,
  writeAugmentationContactSheet,
  writeContactSheet,
} from '../../../../main/augment/augment-preview';
import { createAugmenter } from '../../../../main/augment/create-augmenter';
import { mixSeed, createRng } from '../../../../shared/random/seeded-random';
import { detectSector, type RawImage } from '../../../../main/augment/sector-detect';
import { prepareSourceImage, stackImages, toRawImages } from '../../../../main/augment/source-image';
import { tf, useCpu } from './augment-test-setup';

beforeAll(useCpu);

/** A 48×40 RGB "scan": textured trapezoid on black, so sector detection has something to find. */
const synthetic = (seed: number): RawImage => {
  const rng = createRng(seed);
  const w = 48;
  const h = 40;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const half = 6 + (y * 18) / h;
      const v = Math.abs(x + 0.5 - w / 2) <= half ? 60 + Math.floor(150 * rng.next()) : 0;
      data.set([v, v, v], (y * w + x) * 3);
    }
  return { data, width: w, height: h, channels: 3 };
};

const config = {
  ...buildPreset('ultrasound-default', { outputSize: 32 }),
  source: { size: 40, fit: 'contain' as const, grayscale: true },
};
const images = [
  { id: 'a', pixels: synthetic(1) },
  { id: 'b', pixels: synthetic(2) },
];
const dir = mkdtempSync(join(tmpdir(), 'sonofuse-augment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderAugmentationPreview', () => {
  it('returns n PNG renderings per image with their drawn parameters', async () => {
    const tiles = await renderAugmentationPreview({ images, config, seed: 3, n: 3 });
    expect(tiles.map((t) => `${t.imageId}${t.index}`)).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2']);
    const meta = await sharp(tiles[0].png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 32, 32, 1]);
    expect(tiles[0].params.steps.map((s) => s.kind)).toEqual(config.steps.map((s) => s.kind));
    expect(tiles[0].sector.found).toBe(true);
  });

  it('the same seed renders identical PNGs; another seed differs', async () => {
    const a = await renderAugmentationPreview({ images, config, seed: 3, n: 2 });
    const b = await renderAugmentationPreview({ images, config, seed: 3, n: 2 });
    const c = await renderAugmentationPreview({ images, config, seed: 4, n: 2 });
    b.forEach((t, i) => expect(t.png.equals(a[i].png)).toBe(true));
    expect(c.some((t, i) => !t.png.equals(a[i].png))).toBe(true);
  });

  it('shows exactly the pixels the trainer path computes (prepare → stack → augment)', async () => {
    const [tile] = await renderAugmentationPreview({ images: [images[1]], config, seed: 8, n: 1 });
    const prepared = await prepareSourceImage(images[1].pixels, config.source);
    const x = stackImages([prepared]);
    const out = createAugmenter(config).augment(x, {
      seed: mixSeed(8, 0, 0),
      sectors: [detectSector(prepared)],
      output: 'display',
    });
    const [trainer] = await toRawImages(out.images);
    tf.dispose([x, out.images]);
    const { data } = await sharp(tile.png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.from(trainer.data).equals(data)).toBe(true);
  });
});

describe('tensor hygiene', () => {
  it('leaves no tensors behind', async () => {
    await renderAugmentationPreview({ images, config, seed: 1, n: 2 }); // warm-up
    const before = tf.memory().numTensors;
    await renderAugmentationPreview({ images, config, seed: 2, n: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('contact sheets', () => {
  it('lays tiles out in rows with gaps', async () => {
    const tiles = await renderAugmentationPreview({ images, config, seed: 1, n: 3 });
    const sheet = await composeContactSheet(tiles, { columns: 3, gap: 4 });
    // 3 columns × (32 + 4) + 4 = 112 wide; 2 rows → 2 × 36 + 4 = 76 high.
    expect([sheet.width, sheet.height]).toEqual([112, 76]);
    const file = join(dir, 'sheet.png');
    const written = await writeContactSheet(file, tiles, { columns: 3 });
    const meta = await sharp(readFileSync(file)).metadata();
    expect([meta.width, meta.height]).toEqual([written.width, written.height]);
  });

  it('writes one row per image for the CLI', async () => {
    const out = join(dir, 'cli.png');
    const sheet = await writeAugmentationContactSheet({ images, config, seed: 5, n: 4, out });
    // 4 columns × 36 + 4 = 148 wide, 2 images → 76 high.
    expect([sheet.width, sheet.height, sheet.tiles.length]).toEqual([148, 76, 8]);
  });
});
