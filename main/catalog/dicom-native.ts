import type { DataSet, Element } from 'dicom-parser';
import { TAG } from './dicom-tags';
import { ImportFailure } from './import-failure';

/** One decoded frame as interleaved 8-bit pixels (1 or 3 channels). */
export interface DicomFrame {
  frame: number;
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Buffer;
}

/** The pixel layout of an uncompressed DICOM, validated once when the file is read. */
export interface NativeLayout {
  rows: number;
  cols: number;
  samples: 1 | 3;
  bits: 8 | 16;
  photometric: string;
  /** Bytes one frame takes in the pixel data. */
  frameBytes: number;
  /** Whole frames the pixel data really holds (never the header's claim). */
  framesHeld: number;
}

/** A DICOM string value, trimmed; null when absent, empty or unreadable. */
export const text = (ds: DataSet, tag: string): string | null => {
  try {
    const value = ds.string(tag);
    return value === undefined || value === '' ? null : value.trim();
  } catch {
    return null;
  }
};

/**
 * Checks the pixel attributes of an uncompressed file and counts the frames its bytes hold. Every
 * product (rows × columns × samples × bytes) is checked before anything is allocated, so a header
 * that claims more than the file carries fails here with a reason instead of an allocation.
 */
export const nativeLayout = (ds: DataSet, pixel: Element, rows: number, cols: number): NativeLayout => {
  const samples = ds.uint16(TAG.samplesPerPixel) ?? 1;
  const bits = ds.uint16(TAG.bitsAllocated) ?? 8;
  const photometric = text(ds, TAG.photometric) ?? 'MONOCHROME2';
  if (samples !== 1 && samples !== 3)
    throw new ImportFailure('unsupported', `DICOM with ${samples} samples per pixel`);
  if (bits !== 8 && bits !== 16) throw new ImportFailure('unsupported', `DICOM with ${bits}-bit pixels`);
  if (bits === 16 && samples !== 1) throw new ImportFailure('unsupported', 'DICOM 16-bit colour');
  if (photometric.startsWith('PALETTE')) throw new ImportFailure('unsupported', 'DICOM palette colour');
  const frameBytes = rows * cols * samples * (bits / 8);
  const inFile = Math.max(0, ds.byteArray.length - pixel.dataOffset);
  const available = pixel.length > 0 ? Math.min(pixel.length, inFile) : inFile;
  return {
    rows,
    cols,
    samples,
    bits,
    photometric,
    frameBytes,
    framesHeld: Math.floor(available / frameBytes),
  };
};

/**
 * Maps stored 16-bit values to 8 bits through the modality rescale and the window (or min/max when
 * there is none), in two passes over the raw words: no intermediate array, so a frame never costs
 * more than its 8-bit output.
 */
const sixteenToEight = (
  ds: DataSet,
  raw: Uint8Array,
  pixelCount: number,
  signed: boolean,
  bigEndian: boolean,
): Uint8Array => {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const slope = ds.floatString(TAG.rescaleSlope) ?? 1;
  const intercept = ds.floatString(TAG.rescaleIntercept) ?? 0;
  const value = (i: number): number =>
    (signed ? view.getInt16(i * 2, !bigEndian) : view.getUint16(i * 2, !bigEndian)) * slope + intercept;
  let lo = Infinity;
  let hi = -Infinity;
  const center = ds.floatString(TAG.windowCenter);
  const width = ds.floatString(TAG.windowWidth);
  if (center !== undefined && width !== undefined && width > 1) {
    lo = center - width / 2;
    hi = center + width / 2;
  } else {
    for (let i = 0; i < pixelCount; i++) {
      const v = value(i);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const out = new Uint8Array(pixelCount);
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < pixelCount; i++)
    out[i] = Math.max(0, Math.min(255, Math.round(((value(i) - lo) / span) * 255)));
  return out;
};

const ybrToRgb = (out: Uint8Array, pixelCount: number): void => {
  for (let i = 0; i < pixelCount; i++) {
    const y = out[i * 3]!;
    const cb = out[i * 3 + 1]! - 128;
    const cr = out[i * 3 + 2]! - 128;
    out[i * 3] = Math.max(0, Math.min(255, Math.round(y + 1.402 * cr)));
    out[i * 3 + 1] = Math.max(0, Math.min(255, Math.round(y - 0.344136 * cb - 0.714136 * cr)));
    out[i * 3 + 2] = Math.max(0, Math.min(255, Math.round(y + 1.772 * cb)));
  }
};

/** Decodes one frame of uncompressed pixel data; only that frame's bytes are touched. */
export const decodeNativeFrame = (
  ds: DataSet,
  pixel: Element,
  layout: NativeLayout,
  frame: number,
  bigEndian: boolean,
): DicomFrame => {
  if (frame >= layout.framesHeld)
    throw new ImportFailure('corrupt', `DICOM pixel data is truncated (frame ${frame})`);
  const { rows, cols, samples, frameBytes, photometric } = layout;
  const pixelCount = rows * cols;
  const start = pixel.dataOffset + frame * frameBytes;
  const raw = ds.byteArray.subarray(start, start + frameBytes);
  let out: Uint8Array;
  if (layout.bits === 16) {
    out = sixteenToEight(ds, raw, pixelCount, ds.uint16(TAG.pixelRepresentation) === 1, bigEndian);
  } else if (samples === 3 && ds.uint16(TAG.planarConfiguration) === 1) {
    out = new Uint8Array(frameBytes);
    for (let i = 0; i < pixelCount; i++)
      for (let c = 0; c < 3; c++) out[i * 3 + c] = raw[c * pixelCount + i]!;
  } else {
    out = Uint8Array.from(raw);
  }
  if (photometric === 'MONOCHROME1') for (let i = 0; i < out.length; i++) out[i] = 255 - out[i]!;
  if (samples === 3 && photometric.startsWith('YBR_FULL')) ybrToRgb(out, pixelCount);
  return {
    frame,
    width: cols,
    height: rows,
    channels: samples,
    pixels: Buffer.from(out.buffer, out.byteOffset, out.byteLength),
  };
};
