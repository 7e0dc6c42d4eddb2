import { inflateRawSync } from 'node:zlib';
import * as dicomNamespace from 'dicom-parser';
import type { DataSet, Element, ParseDicomOptions } from 'dicom-parser';
import { MAX_METADATA_VALUE_CHARS, type FrameChoice } from '../../shared/contract/catalog';
import { decodeJpegFrame, encapsulatedFramesHeld } from './dicom-encapsulated';
import { decodeNativeFrame, nativeLayout, text, type DicomFrame } from './dicom-native';
import { IDENTIFYING_TAGS, SAFE_TAGS, TAG, TRANSFER_SYNTAX } from './dicom-tags';
import { ImportFailure } from './import-failure';

export type { DicomFrame } from './dicom-native';

// dicom-parser is a UMD bundle: under some loaders its functions sit on `default`.
const dicomParser = ((dicomNamespace as unknown as { default?: typeof dicomNamespace }).default ??
  dicomNamespace) as typeof dicomNamespace;

/** Hard ceiling on the frames one file may have, whatever its pixel data holds. */
export const MAX_FRAMES = 10_000;
/** A deflated data set may inflate to at most this many bytes (a zip bomb fails, it is not inflated). */
export const MAX_INFLATED_BYTES = 256 * 1024 ** 2;

export interface DicomLimits {
  /** Largest frame, in pixels (rows × columns). */
  maxPixels: number;
  maxFrames?: number;
}

/** What the importer needs from a DICOM file, identifying values kept apart from safe ones. */
export interface DicomImage {
  width: number;
  height: number;
  /** Frames the file has: its header's claim, checked against what the pixel data holds. */
  frameCount: number;
  transferSyntax: string;
  /** BurnedInAnnotation (0028,0301) is YES: the pixels may show names, ids or dates. */
  burnedIn: boolean;
  safeTags: Record<string, string>;
  identifyingTags: Record<string, string>;
  patientId: string | null;
  studyUid: string | null;
  seriesUid: string | null;
  /** Decodes one frame when asked (frames are never decoded ahead). */
  decode(frame: number): Promise<DicomFrame>;
}

/** Value representations that hold text; anything else (sequences, binary) is never read as a value. */
const BINARY_VRS = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'UN',
  'AT',
  'FL',
  'FD',
  'SL',
  'SS',
  'UL',
  'US',
]);

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

/** Inflates a deflated data set, refusing (not allocating) past {@link MAX_INFLATED_BYTES}. */
const boundedInflater = (bytes: Uint8Array, position: number): Uint8Array => {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(bytes.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ImportFailure(
        'too-large',
        `deflated DICOM inflates past ${MAX_INFLATED_BYTES / 1024 ** 2} MiB`,
      );
    throw new ImportFailure('corrupt', 'deflated DICOM does not inflate');
  }
  const whole = Buffer.alloc(position + inflated.length);
  whole.set(bytes.subarray(0, position), 0);
  whole.set(inflated, position);
  return whole;
};

const parse = (bytes: Uint8Array): DataSet => {
  try {
    return dicomParser.parseDicom(bytes, {
      inflater: boundedInflater as unknown as ParseDicomOptions['inflater'],
    });
  } catch (error) {
    if (error instanceof ImportFailure) throw error;
    const message =
      typeof error === 'string'
        ? error
        : ((error as { exception?: string; message?: string }).exception ?? (error as Error).message);
    throw new ImportFailure('corrupt', `DICOM does not parse (truncated?): ${String(message).slice(0, 200)}`);
  }
};

const NATIVE = new Set<string>([
  TRANSFER_SYNTAX.implicitLittle,
  TRANSFER_SYNTAX.explicitLittle,
  TRANSFER_SYNTAX.explicitBig,
  TRANSFER_SYNTAX.deflatedLittle,
]);
const JPEG = new Set<string>([TRANSFER_SYNTAX.jpegBaseline, TRANSFER_SYNTAX.jpegExtended]);

/** The header's NumberOfFrames checked against what the pixel data holds and the hard ceiling. */
const checkedFrameCount = (ds: DataSet, held: number, maxFrames: number): number => {
  const claimed = text(ds, TAG.numberOfFrames);
  const declared = claimed === null ? 1 : Number(claimed);
  if (!Number.isInteger(declared) || declared < 1)
    throw new ImportFailure(
      'corrupt',
      `DICOM NumberOfFrames is not a positive whole number (${claimed!.slice(0, 20)})`,
    );
  if (held < 1) throw new ImportFailure('corrupt', 'DICOM pixel data is truncated (not one whole frame)');
  if (declared > held) {
    throw new ImportFailure(
      'corrupt',
      `DICOM NumberOfFrames says ${declared} but the pixel data holds ${held} frame${held === 1 ? '' : 's'}`,
    );
  }
  if (declared > maxFrames)
    throw new ImportFailure('too-large', `DICOM has ${declared} frames, over the limit of ${maxFrames}`);
  return declared;
};

/**
 * Parses a DICOM Part 10 file and checks its pixel layout before anything is allocated: frame size
 * (rows × columns against `maxPixels`), sample and bit layout, NumberOfFrames against the frames the
 * pixel data really holds (and {@link MAX_FRAMES}), compressed fragments inside the file. Frames are
 * decoded one at a time by {@link DicomImage.decode}. Throws {@link ImportFailure} with a reason a
 * user can act on.
 */
export const readDicom = (bytes: Uint8Array, limits: DicomLimits): DicomImage => {
  const ds = parse(bytes);
  const syntax = text(ds, TAG.transferSyntax) ?? TRANSFER_SYNTAX.implicitLittle;
  const pixel = ds.elements[TAG.pixelData];
  const rows = ds.uint16(TAG.rows);
  const cols = ds.uint16(TAG.columns);
  if (!pixel || !rows || !cols) throw new ImportFailure('not-an-image', 'DICOM without pixel data');
  if (!NATIVE.has(syntax) && !JPEG.has(syntax)) {
    throw new ImportFailure(
      'unsupported',
      `DICOM transfer syntax ${syntax} (only uncompressed and JPEG baseline)`,
    );
  }
  if (rows * cols > limits.maxPixels) {
    throw new ImportFailure('too-large', `${cols}×${rows} is over ${limits.maxPixels / 1e6} megapixels`);
  }
  const maxFrames = limits.maxFrames ?? MAX_FRAMES;
  let frameCount: number;
  let decode: (frame: number) => Promise<DicomFrame>;
  if (JPEG.has(syntax)) {
    if (!pixel.encapsulatedPixelData)
      throw new ImportFailure('corrupt', 'DICOM says JPEG but its pixel data is not encapsulated');
    frameCount = checkedFrameCount(ds, encapsulatedFramesHeld(ds, pixel), maxFrames);
    decode = (frame) =>
      decodeJpegFrame(ds, pixel, frame, frameCount, { rows, cols, maxPixels: limits.maxPixels });
  } else {
    if (pixel.encapsulatedPixelData)
      throw new ImportFailure('corrupt', 'DICOM says uncompressed but its pixel data is encapsulated');
    const layout = nativeLayout(ds, pixel, rows, cols);
    frameCount = checkedFrameCount(ds, layout.framesHeld, maxFrames);
    const bigEndian = syntax === TRANSFER_SYNTAX.explicitBig;
    decode = async (frame) => decodeNativeFrame(ds, pixel, layout, frame, bigEndian);
  }
  const collect = (table: Readonly<Record<string, string>>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [tag, name] of Object.entries(table)) {
      const element: Element | undefined = ds.elements[tag];
      if (!element || element.items || (element.vr && BINARY_VRS.has(element.vr))) continue;
      const value = text(ds, tag);
      // A value over the catalog's metadata limit is left out (it would refuse the whole chunk).
      if (value !== null && value.length <= MAX_METADATA_VALUE_CHARS) out[name] = value;
    }
    return out;
  };
  return {
    width: cols,
    height: rows,
    frameCount,
    transferSyntax: syntax,
    burnedIn: text(ds, TAG.burnedInAnnotation)?.toUpperCase() === 'YES',
    safeTags: collect(SAFE_TAGS),
    identifyingTags: collect(IDENTIFYING_TAGS),
    patientId: text(ds, TAG.patientId),
    studyUid: text(ds, TAG.studyUid),
    seriesUid: text(ds, TAG.seriesUid),
    decode: async (frame) => {
      if (frame >= frameCount) throw new ImportFailure('corrupt', `DICOM has no frame ${frame}`);
      return decode(frame);
    },
  };
};
