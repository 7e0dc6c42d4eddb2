import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { AugmentConfig, AugmentConfigInput, DrawnParams } from '../../shared/augment/augment-config';
import { createAugmenter } from './create-augmenter';
import { mixSeed } from '../../shared/random/seeded-random';
import { detectSector, type RawImage, type SectorInfo } from './sector-detect';
import { encodePng, prepareSourceImage, stackImages, toRawImages, type ImageInput } from './source-image';
import { PRIVATE_FILE_MODE } from '../security/private-files';

export interface PreviewImage {
  id: string;
  /** Decoded pixels (or encoded bytes / a path: anything sharp reads). */
  pixels: ImageInput;
  /** The sector in the prepared frame if already known (e.g. stored by the catalog); else detected. */
  sector?: SectorInfo | null;
}

export interface PreviewRequest {
  images: readonly PreviewImage[];
  config: AugmentConfigInput | AugmentConfig;
  /** The run seed (see `deriveSeed`). */
  seed: number;
  /** Renderings per image. */
  n: number;
  /**
   * The batch seed image `k`'s renderings are drawn with; rendering `j` is slot `j` of that batch.
   * Default `mixSeed(seed, 0, k)`; pass the trainer's own derivation to mirror its batches.
   */
  deriveSeed?: (seed: number, imageOrdinal: number) => number;
}

export interface PreviewTile {
  imageId: string;
  /** Rendering number 0..n-1 of this image. */
  index: number;
  png: Buffer;
  width: number;
  height: number;
  params: DrawnParams;
  /** The sector the draws used (prepared-frame coordinates). */
  sector: SectorInfo;
}

/**
 * Renders `n` augmentations of each image, exactly as the trainer's pipeline draws them (same
 * code, same seed derivation, same backend), as PNGs of the pre-normalisation pixels, with the
 * parameters drawn for each. One batch of `n` copies per image, so one tensor pass per image.
 */
export const renderAugmentationPreview = async (request: PreviewRequest): Promise<PreviewTile[]> => {
  if (!Number.isInteger(request.n) || request.n < 1)
    throw new RangeError(`n must be a positive integer, got ${request.n}`);
  const augmenter = createAugmenter(request.config);
  const { source, sector: sectorOptions } = augmenter.config;
  const tiles: PreviewTile[] = [];
  for (const [k, image] of request.images.entries()) {
    const prepared = await prepareSourceImage(image.pixels, source);
    const sector = image.sector ?? detectSector(prepared, { threshold: sectorOptions.threshold });
    // n copies built in JS (converted once): wasm's Tile kernel is slow (~0.1 s for 16 × 256²).
    const batch = stackImages(Array.from({ length: request.n }, () => prepared));
    const out = augmenter.augment(batch, {
      seed: (request.deriveSeed ?? ((s, i) => mixSeed(s, 0, i)))(request.seed, k),
      sectors: Array.from({ length: request.n }, () => sector),
      output: 'display',
    });
    batch.dispose();
    const raws = await toRawImages(out.images);
    out.images.dispose();
    const pngs = await Promise.all(raws.map(encodePng));
    raws.forEach((raw, j) =>
      tiles.push({
        imageId: image.id,
        index: j,
        png: pngs[j],
        width: raw.width,
        height: raw.height,
        params: out.params[j],
        sector,
      }),
    );
  }
  return tiles;
};

export interface ContactSheetOptions {
  /** Tiles per row; default: ceil(sqrt(count)). */
  columns?: number;
  /** Pixels between tiles and around the sheet. Default 4. */
  gap?: number;
  /** Grey level 0..255 of the gaps. Default 32. */
  background?: number;
}

/** Composes equally sized PNG (or raw) tiles row by row into one PNG. */
export const composeContactSheet = async (
  tiles: ReadonlyArray<{ png: Buffer } | RawImage>,
  options: ContactSheetOptions = {},
): Promise<{ png: Buffer; width: number; height: number }> => {
  if (tiles.length === 0) throw new RangeError('a contact sheet needs at least one tile');
  const pngs = await Promise.all(tiles.map((t) => ('png' in t ? t.png : encodePng(t))));
  const first = await sharp(pngs[0]).metadata();
  const tw = first.width ?? 0;
  const th = first.height ?? 0;
  const columns = Math.max(1, options.columns ?? Math.ceil(Math.sqrt(tiles.length)));
  const rows = Math.ceil(tiles.length / columns);
  const gap = options.gap ?? 4;
  const bg = options.background ?? 32;
  const width = gap + columns * (tw + gap);
  const height = gap + rows * (th + gap);
  const png = await sharp({ create: { width, height, channels: 3, background: { r: bg, g: bg, b: bg } } })
    .composite(
      pngs.map((input, i) => ({
        input,
        left: gap + (i % columns) * (tw + gap),
        top: gap + Math.floor(i / columns) * (th + gap),
      })),
    )
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { png, width, height };
};

/** Writes a contact sheet PNG to `outPath`; returns its size. */
export const writeContactSheet = async (
  outPath: string,
  tiles: ReadonlyArray<{ png: Buffer } | RawImage>,
  options: ContactSheetOptions = {},
): Promise<{ path: string; width: number; height: number }> => {
  const sheet = await composeContactSheet(tiles, options);
  await writeFile(outPath, sheet.png, { mode: PRIVATE_FILE_MODE });
  return { path: outPath, width: sheet.width, height: sheet.height };
};

/**
 * Renders `n` augmentations of each image and writes them as one contact sheet (one row per image):
 * what `sonofuse augment-preview --out sheet.png` does once the catalog has resolved the images.
 */
export const writeAugmentationContactSheet = async (
  request: PreviewRequest & { out: string; gap?: number },
): Promise<{ path: string; width: number; height: number; tiles: PreviewTile[] }> => {
  const tiles = await renderAugmentationPreview(request);
  const sheet = await writeContactSheet(request.out, tiles, { columns: request.n, gap: request.gap });
  return { ...sheet, tiles };
};
