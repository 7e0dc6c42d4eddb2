import * as dicomNamespace from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import sharp from 'sharp';
import type { FrameChoice } from '../../shared/contract/catalog';
import { IDENTIFYING_TAGS, SAFE_TAGS, TAG, TRANSFER_SYNTAX } from './dicom-tags';
import { ImportFailure } from './import-failure';

// dicom-parser is a UMD bundle: under some loaders its functions sit on `default`.
const dicomParser = ((dicomNamespace as unknown as { default?: typeof dicomNamespace }).default ??
  dicomNamespace) as typeof dicomNamespace;

/** One decoded frame as interleaved 8-bit pixels (1 or 3 channels). */
export interface DicomFrame {
  frame: number;
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Buffer;
}

/** What the importer needs from a DICOM file, identifying values kept apart from safe ones. */
export interface DicomImage {
  width: number;
  height: number;
  frameCount: number;
  transferSyntax: string;
  safeTags: Record<string, string>;
  identifyingTags: Record<string, string>;
  patientId: string | null;
  studyUid: string | null;
  seriesUid: string | null;
  decode(frame: number): Promise<DicomFrame>;
}

const text = (ds: DataSet, tag: string): string | null => {
  try {
    const value = ds.string(tag);
    return value === undefined || value === '' ? null : value.trim();
  } catch {
    return null;
  }
};

/** Picks frame indices from a choice, clipped to the frames the file has. */
export const chooseFrames = (choice: FrameChoice, frameCount: number): number[] => {
  if (choice === 'first') return [0];
  if (choice === 'middle') return [Math.floor((frameCount - 1) / 2)];
  if (choice === 'all') return Array.from({ length: frameCount }, (_, i) => i);
  if (!Array.isArray(choice)) {
    return Array.from({ length: Math.ceil(frameCount / choice.every) }, (_, i) => i * choice.every);
  }
  return [...new Set(choice)].filter((i) => i < frameCount).sort((a, b) => a - b);
};

const toEight = (ds: DataSet, words: Float64Array): Uint8Array => {
  const slope = ds.floatString(TAG.rescaleSlope) ?? 1;
  const intercept = ds.floatString(TAG.rescaleIntercept) ?? 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < words.length; i++) {
    const v = words[i]! * slope + intercept;
    words[i] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const center = ds.floatString(TAG.windowCenter);
  const width = ds.floatString(TAG.windowWidth);
  if (center !== undefined && width !== undefined && width > 1) {
    lo = center - width / 2;
    hi = center + width / 2;
  }
  const out = new Uint8Array(words.length);
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < words.length; i++)
    out[i] = Math.max(0, Math.min(255, Math.round(((words[i]! - lo) / span) * 255)));
  return out;
};

const decodeNative = (ds: DataSet, pixel: Element, frame: number, bigEndian: boolean): DicomFrame => {
  const rows = ds.uint16(TAG.rows)!;
  const cols = ds.uint16(TAG.columns)!;
  const spp = ds.uint16(TAG.samplesPerPixel) ?? 1;
  const bits = ds.uint16(TAG.bitsAllocated) ?? 8;
  const photometric = text(ds, TAG.photometric) ?? 'MONOCHROME2';
  if (spp !== 1 && spp !== 3) throw new ImportFailure('unsupported', `DICOM with ${spp} samples per pixel`);
  if (bits !== 8 && bits !== 16) throw new ImportFailure('unsupported', `DICOM with ${bits}-bit pixels`);
  if (bits === 16 && spp !== 1) throw new ImportFailure('unsupported', 'DICOM 16-bit colour');
  if (photometric.startsWith('PALETTE')) throw new ImportFailure('unsupported', 'DICOM palette colour');
  const pixelCount = rows * cols;
  const frameBytes = (pixelCount * spp * bits) / 8;
  const start = pixel.dataOffset + frame * frameBytes;
  if (
    start + frameBytes > ds.byteArray.length ||
    (pixel.length > 0 && (frame + 1) * frameBytes > pixel.length)
  ) {
    throw new ImportFailure('corrupt', `DICOM pixel data is truncated (frame ${frame})`);
  }
  const raw = ds.byteArray.subarray(start, start + frameBytes);
  let out: Uint8Array;
  if (bits === 16) {
    const signed = ds.uint16(TAG.pixelRepresentation) === 1;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const words = new Float64Array(pixelCount);
    for (let i = 0; i < pixelCount; i++)
      words[i] = signed ? view.getInt16(i * 2, !bigEndian) : view.getUint16(i * 2, !bigEndian);
    out = toEight(ds, words);
  } else if (spp === 3 && ds.uint16(TAG.planarConfiguration) === 1) {
    out = new Uint8Array(frameBytes);
    for (let i = 0; i < pixelCount; i++)
      for (let c = 0; c < 3; c++) out[i * 3 + c] = raw[c * pixelCount + i]!;
  } else {
    out = Uint8Array.from(raw);
  }
  if (photometric === 'MONOCHROME1') for (let i = 0; i < out.length; i++) out[i] = 255 - out[i]!;
  if (spp === 3 && photometric.startsWith('YBR_FULL')) {
    for (let i = 0; i < pixelCount; i++) {
      const y = out[i * 3]!;
      const cb = out[i * 3 + 1]! - 128;
      const cr = out[i * 3 + 2]! - 128;
      out[i * 3] = Math.max(0, Math.min(255, Math.round(y + 1.402 * cr)));
      out[i * 3 + 1] = Math.max(0, Math.min(255, Math.round(y - 0.344136 * cb - 0.714136 * cr)));
      out[i * 3 + 2] = Math.max(0, Math.min(255, Math.round(y + 1.772 * cb)));
    }
  }
  return {
    frame,
    width: cols,
    height: rows,
    channels: spp as 1 | 3,
    pixels: Buffer.from(out.buffer, out.byteOffset, out.byteLength),
  };
};

const decodeJpeg = async (
  ds: DataSet,
  pixel: Element,
  frame: number,
  frameCount: number,
): Promise<DicomFrame> => {
  let bytes: Uint8Array;
  try {
    const fragments = pixel.fragments ?? [];
    if (frameCount === 1) {
      bytes = dicomParser.readEncapsulatedPixelDataFromFragments(ds, pixel, 0, fragments.length);
    } else {
      const table = pixel.basicOffsetTable?.length
        ? pixel.basicOffsetTable
        : dicomParser.createJPEGBasicOffsetTable(ds, pixel);
      bytes = dicomParser.readEncapsulatedImageFrame(ds, pixel, frame, table);
    }
  } catch (error) {
    throw new ImportFailure(
      'corrupt',
      `DICOM frame ${frame} cannot be read: ${(error as Error).message ?? error}`,
    );
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const channels = info.channels >= 3 ? 3 : 1;
    const pixels =
      info.channels === channels
        ? data
        : await sharp(bytes)
            .removeAlpha()
            .toColourspace(channels === 3 ? 'srgb' : 'b-w')
            .raw()
            .toBuffer();
    return { frame, width: info.width, height: info.height, channels, pixels };
  } catch (error) {
    throw new ImportFailure(
      'corrupt',
      `DICOM JPEG frame ${frame} does not decode: ${(error as Error).message}`,
    );
  }
};

/** Parses a DICOM Part 10 file. Throws {@link ImportFailure} with a reason a user can act on. */
export const readDicom = (bytes: Uint8Array): DicomImage => {
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (error) {
    const message =
      typeof error === 'string'
        ? error
        : ((error as { exception?: string; message?: string }).exception ?? (error as Error).message);
    throw new ImportFailure('corrupt', `DICOM does not parse (truncated?): ${String(message).slice(0, 200)}`);
  }
  const syntax = text(ds, TAG.transferSyntax) ?? TRANSFER_SYNTAX.implicitLittle;
  const pixel = ds.elements[TAG.pixelData];
  const rows = ds.uint16(TAG.rows);
  const cols = ds.uint16(TAG.columns);
  if (!pixel || !rows || !cols) throw new ImportFailure('not-an-image', 'DICOM without pixel data');
  const native = [
    TRANSFER_SYNTAX.implicitLittle,
    TRANSFER_SYNTAX.explicitLittle,
    TRANSFER_SYNTAX.explicitBig,
  ] as string[];
  const jpeg = [TRANSFER_SYNTAX.jpegBaseline, TRANSFER_SYNTAX.jpegExtended] as string[];
  if (!native.includes(syntax) && !jpeg.includes(syntax)) {
    throw new ImportFailure(
      'unsupported',
      `DICOM transfer syntax ${syntax} (only uncompressed and JPEG baseline)`,
    );
  }
  const frameCount = Math.max(1, Number.parseInt(text(ds, TAG.numberOfFrames) ?? '1', 10) || 1);
  const collect = (table: Readonly<Record<string, string>>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [tag, name] of Object.entries(table)) {
      const value = text(ds, tag);
      if (value !== null) out[name] = value;
    }
    return out;
  };
  return {
    width: cols,
    height: rows,
    frameCount,
    transferSyntax: syntax,
    safeTags: collect(SAFE_TAGS),
    identifyingTags: collect(IDENTIFYING_TAGS),
    patientId: text(ds, TAG.patientId),
    studyUid: text(ds, TAG.studyUid),
    seriesUid: text(ds, TAG.seriesUid),
    decode: async (frame) => {
      if (frame >= frameCount) throw new ImportFailure('corrupt', `DICOM has no frame ${frame}`);
      return jpeg.includes(syntax)
        ? decodeJpeg(ds, pixel, frame, frameCount)
        : decodeNative(ds, pixel, frame, syntax === TRANSFER_SYNTAX.explicitBig);
    },
  };
};
