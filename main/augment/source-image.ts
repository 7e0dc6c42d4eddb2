import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { SourceFit } from '../../shared/augment/augment-config';
import type { RawImage, SectorInfo } from './sector-detect';

/** Anything sharp can decode: raw pixels, an encoded file's bytes, or a file path. */
export type ImageInput = RawImage | Buffer | string;

const isRaw = (input: ImageInput): input is RawImage =>
  typeof input === 'object' && !Buffer.isBuffer(input) && 'width' in input;

/** Opens any input in sharp, dropping alpha. */
const open = (input: ImageInput): sharp.Sharp => {
  const s = isRaw(input)
    ? sharp(Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength), {
        raw: { width: input.width, height: input.height, channels: input.channels },
      })
    : sharp(input);
  return s.removeAlpha();
};

/** Decodes an image to raw 8-bit pixels without resizing (for sector detection at import). */
export const decodeImage = async (input: ImageInput): Promise<RawImage> => {
  const { data, info } = await open(input).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
};

/**
 * Fits a decoded image into one uniform batch slot (`source.size`² px, grey or RGB) with sharp's
 * Lanczos resampling: `contain` letterboxes with black (the scanner's own background, which the
 * sector detection then ignores), `cover` centre-crops, `fill` stretches. The trainer and the
 * preview both call this, so both start from the same pixels.
 */
export const prepareSourceImage = async (input: ImageInput, source: SourceFit): Promise<RawImage> => {
  let s = open(input).resize(source.size, source.size, {
    fit: source.fit,
    background: { r: 0, g: 0, b: 0 },
    kernel: 'lanczos3',
  });
  s = source.grayscale ? s.grayscale() : s.toColourspace('srgb');
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
};

/**
 * Stacks same-sized 8-bit images into the float32 [B, H, W, C] batch (values / 255) the augmenter
 * takes. Throws when sizes or channel counts differ (prepare them with `prepareSourceImage`).
 */
export const stackImages = (images: readonly RawImage[]): tf.Tensor4D => {
  if (images.length === 0) throw new RangeError('stackImages needs at least one image');
  const { width, height, channels } = images[0];
  const n = width * height * channels;
  const out = new Float32Array(images.length * n);
  const done = new Map<RawImage, number>(); // repeated images (preview copies) are converted once
  images.forEach((img, b) => {
    if (img.width !== width || img.height !== height || img.channels !== channels)
      throw new RangeError(
        `image ${b} is ${img.width}×${img.height}×${img.channels}, expected ${width}×${height}×${channels}`,
      );
    const first = done.get(img);
    if (first !== undefined) out.copyWithin(b * n, first * n, (first + 1) * n);
    else {
      for (let i = 0; i < n; i++) out[b * n + i] = img.data[i] / 255;
      done.set(img, b);
    }
  });
  return tf.tensor4d(out, [images.length, height, width, channels]);
};

/** Converts a [B, H, W, C] tensor of [0, 1] values into 8-bit images (clamped, rounded half to even). */
export const toRawImages = async (batch: tf.Tensor4D): Promise<RawImage[]> => {
  const [B, H, W, C] = batch.shape;
  if (C !== 1 && C !== 3) throw new RangeError(`toRawImages takes 1 or 3 channels, got ${C}`);
  const values = await batch.data();
  const n = H * W * C;
  return Array.from({ length: B }, (_, b) => {
    const data = new Uint8ClampedArray(n); // clamps to 0..255 and rounds on assignment
    for (let i = 0, o = b * n; i < n; i++, o++) data[i] = values[o] * 255;
    return { data, width: W, height: H, channels: C as 1 | 3 };
  });
};

/** Encodes raw pixels as PNG (fast zlib level: previews are transient). */
export const encodePng = (img: RawImage): Promise<Buffer> =>
  sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: img.channels },
  })
    .toColourspace(img.channels === 1 ? 'b-w' : 'srgb')
    .png({ compressionLevel: 2 })
    .toBuffer();

/**
 * Maps a sector detected on the original image (e.g. once, at import) into the frame
 * `prepareSourceImage` produces, so it need not be detected again: `contain` scales and centres
 * (letterbox), `cover` scales and centre-crops, `fill` keeps normalised coordinates.
 */
export const fitSector = (
  sector: SectorInfo,
  original: { width: number; height: number },
  source: SourceFit,
): SectorInfo => {
  if (source.fit === 'fill') return sector;
  const S = source.size;
  const k =
    source.fit === 'contain'
      ? Math.min(S / original.width, S / original.height)
      : Math.max(S / original.width, S / original.height);
  const w = original.width * k;
  const h = original.height * k;
  const ox = (S - w) / 2;
  const oy = (S - h) / 2;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const mx = (x: number) => clamp((ox + x * w) / S);
  const my = (y: number) => clamp((oy + y * h) / S);
  return {
    ...sector,
    polygon: sector.polygon.map(([x, y]) => [mx(x), my(y)]),
    bbox: { x0: mx(sector.bbox.x0), y0: my(sector.bbox.y0), x1: mx(sector.bbox.x1), y1: my(sector.bbox.y1) },
  };
};
