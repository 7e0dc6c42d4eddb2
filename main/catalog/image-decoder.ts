import sharp from 'sharp';
import type { FrameChoice } from '../../shared/contract/catalog';
import { applyBurnedIn, BURNED_IN, type BurnedInHandling, type BurnedInState } from './burned-in-mask';
import { chooseFrames, readDicom, type DicomImage } from './dicom-reader';
import { isDicom } from './dicom-tags';
import { storedCopyOf } from './image-metadata-strip';
import { ImportFailure } from './import-failure';

/** Above this many pixels a file is refused before it is decoded (100 megapixels). */
export const MAX_PIXELS = 100_000_000;
/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 256;
const WARN_ONLY: BurnedInHandling = { policy: 'warn', mask: null };
const FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif']);

/** One image the catalog will hold: a plain file, or one frame of a DICOM file. */
export interface DecodedImage {
  frame: number;
  /** Format of the viewable bytes (`png` for decoded DICOM frames). */
  format: string;
  sourceFormat: string;
  width: number;
  height: number;
  /**
   * Bytes for the managed store: the file without its embedded metadata (or, with
   * `keepOriginalBytes`, the original file), or a PNG of the DICOM frame. Empty when the file is
   * referenced in place (nothing is stored).
   */
  storeBytes: Uint8Array;
  storeExt: string;
  thumbnail: Buffer | null;
  /** DICOM only: whether the file declares burned-in annotation and what was done (see BURNED_IN). */
  burnedIn?: BurnedInState;
  /** Kinds of embedded metadata left out of the stored copy (never their contents). */
  removedMetadata: string[];
}

/** What the managed store will keep of a plain image file. */
export type StoredCopyMode = 'stripped' | 'original' | 'none';

export interface DecodedFile {
  images: DecodedImage[];
  dicom: DicomImage | null;
}

const thumbnailOf = (input: sharp.Sharp): Promise<Buffer> =>
  input
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75, effort: 1 })
    .toBuffer();

const decodePlain = async (
  bytes: Uint8Array,
  thumbnails: boolean,
  copy: StoredCopyMode,
): Promise<DecodedFile> => {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImportFailure('not-an-image', 'not an image (unrecognised content)');
  }
  const format = meta.format ?? 'unknown';
  if (!FORMATS.has(format)) throw new ImportFailure('not-an-image', `unsupported image format ${format}`);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width < 1 || height < 1) throw new ImportFailure('corrupt', 'image has no size');
  if (width * height > MAX_PIXELS) {
    throw new ImportFailure('too-large', `${width}×${height} is over ${MAX_PIXELS / 1e6} megapixels`);
  }
  // JPEG: libjpeg only warns when the scan ends before the frame its header declares (it fills the
  // rest with grey), so warnings fail the file; all 396 JPEGs of covid-notes decode without one.
  const failOn = format === 'jpeg' ? 'warning' : 'truncated';
  const input = sharp(bytes, { failOn, limitInputPixels: MAX_PIXELS });
  let thumbnail: Buffer | null = null;
  try {
    // Decoding the whole image is the only reliable test for truncation, so it happens either way.
    if (thumbnails) thumbnail = await thumbnailOf(input);
    else await input.resize(16, 16, { fit: 'inside' }).raw().toBuffer();
  } catch (error) {
    throw new ImportFailure(
      'corrupt',
      `image does not decode (truncated or damaged): ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const stored =
    copy === 'none'
      ? { bytes: new Uint8Array(0), format, ext: '', removed: [] }
      : await storedCopyOf(bytes, format, copy === 'original', () =>
          sharp(bytes, { limitInputPixels: MAX_PIXELS }).png({ compressionLevel: 6 }).toBuffer(),
        );
  return {
    images: [
      {
        frame: 0,
        format: stored.format,
        sourceFormat: format,
        width,
        height,
        storeBytes: stored.bytes,
        storeExt: stored.ext,
        thumbnail,
        removedMetadata: stored.removed,
      },
    ],
    dicom: null,
  };
};

/** Encoded frames (PNG and thumbnail) one DICOM file may keep in memory before it is written. */
export const MAX_DICOM_DECODED_BYTES = 256 * 1024 ** 2;

const decodeDicom = async (
  bytes: Uint8Array,
  frames: FrameChoice,
  thumbnails: boolean,
  burnedIn: BurnedInHandling,
): Promise<DecodedFile> => {
  const dicom = readDicom(bytes, { maxPixels: MAX_PIXELS });
  const chosen = chooseFrames(frames, dicom.frameCount);
  if (chosen.length === 0)
    throw new ImportFailure('unsupported', `none of the chosen frames exist (file has ${dicom.frameCount})`);
  if (dicom.burnedIn && burnedIn.policy === 'skip') {
    throw new ImportFailure(
      'burned-in',
      'DICOM declares burned-in annotation (names or dates in the pixels); skipped as asked',
    );
  }
  const images: DecodedImage[] = [];
  let held = 0;
  // One frame is decoded at a time; only its encoded PNG (and thumbnail) is kept.
  for (const index of chosen) {
    const frame = await dicom.decode(index);
    const state = dicom.burnedIn ? applyBurnedIn(frame, burnedIn) : BURNED_IN.none;
    const raw = { raw: { width: frame.width, height: frame.height, channels: frame.channels } } as const;
    const png = await sharp(frame.pixels, raw).png({ compressionLevel: 6 }).toBuffer();
    const thumbnail = thumbnails ? await thumbnailOf(sharp(frame.pixels, raw)) : null;
    held += png.length + (thumbnail?.length ?? 0);
    if (held > MAX_DICOM_DECODED_BYTES) {
      throw new ImportFailure(
        'too-large',
        `the chosen ${chosen.length} frames come to over ${MAX_DICOM_DECODED_BYTES / 1024 ** 2} MiB; import fewer (e.g. every Nth frame)`,
      );
    }
    images.push({
      frame: index,
      format: 'png',
      sourceFormat: 'dicom',
      width: frame.width,
      height: frame.height,
      storeBytes: png,
      storeExt: 'png',
      thumbnail,
      burnedIn: state,
      removedMetadata: [],
    });
  }
  return { images, dicom };
};

/**
 * Validates and decodes one file: plain images (JPEG, PNG, WebP, TIFF, GIF) or DICOM (uncompressed
 * or JPEG baseline; chosen frames of a cine). Throws {@link ImportFailure} for anything unusable.
 * `copy` says what the store keeps of a plain file (default `stripped`: no embedded metadata).
 */
export const decodeFile = async (
  bytes: Uint8Array,
  options: { frames: FrameChoice; thumbnails: boolean; burnedIn?: BurnedInHandling; copy?: StoredCopyMode },
): Promise<DecodedFile> => {
  if (bytes.length === 0) throw new ImportFailure('empty', 'empty file (0 bytes)');
  return isDicom(bytes)
    ? decodeDicom(bytes, options.frames, options.thumbnails, options.burnedIn ?? WARN_ONLY)
    : decodePlain(bytes, options.thumbnails, options.copy ?? 'stripped');
};

/** Makes a thumbnail for an already imported file (e.g. when the cache was cleared). */
export const renderThumbnail = (bytes: Uint8Array): Promise<Buffer> =>
  thumbnailOf(sharp(bytes, { limitInputPixels: MAX_PIXELS }));
