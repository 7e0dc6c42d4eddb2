import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { failsAs, importsAs, type HostileCase, type HostileExpectation } from './hostile-corpus-types';
import {
  deflateBomb,
  rleFrame,
  SYNTAX,
  writeHostileDicom,
  type HostileDicomSpec,
} from './hostile-corpus-dicom-writer';

/**
 * Hostile DICOM files: a valid control for each transfer syntax the importer decodes (implicit and
 * explicit VR little endian, explicit big endian, JPEG baseline), the syntaxes it does not (deflated,
 * RLE, an unknown UID) and headers that lie: frame bombs, huge or contradicting sizes, missing or
 * short pixel data, lying element and fragment lengths, a truncated preamble.
 */

const gradient = (bytes: number, seed: number): Buffer => {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (i * 3 + seed * 17) & 0xff;
  return out;
};

/** 16-bit words in big-endian byte order. */
const wordsBigEndian = (count: number): Buffer => {
  const out = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) out.writeUInt16BE(i * 900, i * 2);
  return out;
};

export const dicomCases = async (dir: string): Promise<HostileCase[]> => {
  const jpeg = await sharp(gradient(16 * 12 * 3, 9), { raw: { width: 16, height: 12, channels: 3 } })
    .jpeg({ quality: 90, mozjpeg: false, progressive: false })
    .toBuffer();
  const dcm = (
    name: string,
    spec: HostileDicomSpec | Buffer,
    expect: HostileExpectation,
    why: string,
    options?: HostileCase['options'],
  ): HostileCase => {
    const source = join(dir, `${name}.dcm`);
    writeFileSync(source, Buffer.isBuffer(spec) ? spec : writeHostileDicom(spec));
    return { name: `dicom-${name}`, group: 'dicom', source, expect, why, ...(options ? { options } : {}) };
  };
  const small = { rows: 6, cols: 8 };
  const native = (syntax: string, seed: number): HostileDicomSpec => ({
    syntax,
    ...small,
    pixels: gradient(48, seed),
  });
  // One frame of pixel data under a header that claims nearly a billion (the 656-byte bomb).
  const frameBomb: HostileDicomSpec = { ...native(SYNTAX.explicitLittle, 5), frames: '999999999' };
  const valid = writeHostileDicom(native(SYNTAX.explicitLittle, 6));
  return [
    dcm(
      'implicit-le-good',
      native(SYNTAX.implicitLittle, 1),
      importsAs(1),
      'control: implicit VR little endian',
    ),
    dcm(
      'explicit-le-good',
      native(SYNTAX.explicitLittle, 2),
      importsAs(1),
      'control: explicit VR little endian',
    ),
    dcm(
      'explicit-be-good',
      { syntax: SYNTAX.explicitBig, ...small, bitsAllocated: 16, pixels: wordsBigEndian(48) },
      importsAs(1),
      'control: explicit VR big endian (retired but still met), 16-bit words',
    ),
    dcm(
      'jpeg-baseline-good',
      { syntax: SYNTAX.jpegBaseline, rows: 12, cols: 16, samplesPerPixel: 3, fragments: [jpeg] },
      importsAs(1),
      'control: JPEG baseline, one fragment',
    ),
    dcm(
      'multiframe-good',
      { syntax: SYNTAX.explicitLittle, ...small, frames: '3', pixels: gradient(48 * 3, 3) },
      importsAs(3),
      'control: a 3-frame cine imports as 3 images',
    ),
    dcm(
      'deflated-good',
      { ...native(SYNTAX.deflated, 4), deflate: true },
      importsAs(1),
      'control: deflated explicit little endian',
    ),
    dcm(
      'deflate-bomb',
      { ...native(SYNTAX.deflated, 21), rawDataset: await deflateBomb(300 * 1024 * 1024) },
      failsAs(['too-large']),
      'a deflated data set of ~300 KB that inflates to 300 MiB (a zip bomb)',
    ),
    dcm(
      'deflate-garbage',
      { ...native(SYNTAX.deflated, 22), rawDataset: Buffer.alloc(200, 0xfe) },
      failsAs(['corrupt']),
      'the deflated syntax over bytes that are not a deflate stream',
    ),
    dcm(
      'rle',
      { syntax: SYNTAX.rle, ...small, fragments: [rleFrame(gradient(48, 7))] },
      failsAs(['unsupported']),
      'RLE lossless: not decoded, must say so',
    ),
    dcm(
      'unknown-syntax',
      native(SYNTAX.unknown, 8),
      failsAs(['unsupported']),
      'a transfer syntax UID nobody knows',
    ),
    dcm(
      'frame-bomb',
      frameBomb,
      failsAs(['corrupt']),
      'NumberOfFrames 999999999 over one frame of pixel data (issue #14 item 1: heap out of memory)',
    ),
    dcm(
      'frame-bomb-first-frame',
      frameBomb,
      failsAs(['corrupt']),
      'the same bomb with frames=first: the header still contradicts the data',
      { frames: 'first' },
    ),
    dcm(
      'frame-bomb-jpeg',
      {
        syntax: SYNTAX.jpegBaseline,
        rows: 12,
        cols: 16,
        samplesPerPixel: 3,
        frames: '999999999',
        fragments: [jpeg],
      },
      failsAs(['corrupt']),
      'an encapsulated frame bomb: one fragment, a billion frames claimed',
    ),
    dcm(
      'implicit-le-frame-bomb',
      { ...native(SYNTAX.implicitLittle, 27), frames: '999999999' },
      failsAs(['corrupt']),
      'the frame bomb in implicit VR little endian',
    ),
    dcm(
      'implicit-le-lying-length',
      { ...native(SYNTAX.implicitLittle, 28), frames: '3', pixelLength: 0x7ffffff0 },
      failsAs(['corrupt']),
      'implicit VR: the pixel data length claims 2 GB and the header 3 frames over one frame of bytes',
    ),
    dcm(
      'explicit-be-contradictory-dimensions',
      { syntax: SYNTAX.explicitBig, rows: 2000, cols: 2000, bitsAllocated: 16, pixels: wordsBigEndian(48) },
      failsAs(['corrupt']),
      'big endian: 2000×2000 16-bit claimed over 96 bytes of pixel data',
    ),
    dcm(
      'frame-count-garbage',
      { ...native(SYNTAX.explicitLittle, 10), frames: '-7' },
      failsAs(['corrupt']),
      'NumberOfFrames that is not a positive number',
    ),
    dcm(
      'huge-dimensions',
      { syntax: SYNTAX.explicitLittle, rows: 65535, cols: 65535, pixels: gradient(48, 11) },
      failsAs(['too-large']),
      '65535×65535 claimed: refused before any allocation',
    ),
    dcm(
      'huge-dimensions-16bit-rgb',
      {
        syntax: SYNTAX.explicitLittle,
        rows: 9000,
        cols: 9000,
        bitsAllocated: 16,
        samplesPerPixel: 3,
        pixels: gradient(96, 12),
      },
      failsAs(['too-large', 'unsupported']),
      '81 megapixels × 16-bit × RGB: the byte product must be guarded, not only the pixel count',
    ),
    dcm(
      'contradictory-dimensions',
      { syntax: SYNTAX.explicitLittle, rows: 3000, cols: 3000, pixels: gradient(48, 13) },
      failsAs(['corrupt']),
      '3000×3000 claimed over 48 bytes of pixel data',
    ),
    dcm(
      'lying-pixel-length',
      { ...native(SYNTAX.explicitLittle, 14), pixelLength: 0x7ffffff0 },
      failsAs(['corrupt']),
      'the pixel data element claims 2 GB',
    ),
    dcm(
      'lying-fragment-length',
      {
        syntax: SYNTAX.jpegBaseline,
        rows: 12,
        cols: 16,
        samplesPerPixel: 3,
        fragments: [jpeg],
        fragmentLength: 0x7ffffff0,
      },
      failsAs(['corrupt']),
      'a JPEG fragment item that claims 2 GB',
    ),
    dcm(
      'jpeg-fragment-garbage',
      {
        syntax: SYNTAX.jpegBaseline,
        rows: 12,
        cols: 16,
        samplesPerPixel: 3,
        fragments: [Buffer.alloc(300, 0x5a)],
      },
      failsAs(['corrupt']),
      'the encapsulated fragment is not a JPEG',
    ),
    dcm(
      'missing-pixel-data',
      { ...native(SYNTAX.explicitLittle, 15), pixels: null },
      failsAs(['not-an-image']),
      'a DICOM without pixel data (a structured report, say)',
    ),
    dcm(
      'zero-rows',
      { syntax: SYNTAX.explicitLittle, rows: 0, cols: 8, pixels: gradient(48, 16) },
      failsAs(['not-an-image', 'corrupt']),
      'Rows = 0',
    ),
    dcm(
      'bits-12',
      { ...native(SYNTAX.explicitLittle, 17), bitsAllocated: 12 },
      failsAs(['unsupported']),
      '12 bits allocated',
    ),
    dcm(
      'samples-4',
      { ...native(SYNTAX.explicitLittle, 18), samplesPerPixel: 4, pixels: gradient(48 * 4, 18) },
      failsAs(['unsupported']),
      '4 samples per pixel (CMYK)',
    ),
    dcm(
      'implicit-syntax-explicit-data',
      { ...native(SYNTAX.implicitLittle, 19), encoding: 'explicit-le' },
      failsAs(['corrupt', 'not-an-image']),
      'the meta header says implicit VR, the data set is explicit: the lengths read as garbage',
    ),
    dcm(
      'truncated-dataset',
      valid.subarray(0, valid.length - 30),
      failsAs(['corrupt']),
      'cut inside the pixel data',
    ),
    dcm('truncated-meta', valid.subarray(0, 150), failsAs(['corrupt']), 'cut inside the meta header'),
    dcm(
      'burned-in-annotation',
      { ...native(SYNTAX.explicitLittle, 23), extra: [{ tag: [0x0028, 0x0301], vr: 'CS', value: 'YES' }] },
      importsAs(1),
      'BurnedInAnnotation = YES: imported with a warning and counted (issue #14 item 9)',
    ),
    dcm(
      'huge-private-element',
      {
        ...native(SYNTAX.explicitLittle, 24),
        extra: [
          { tag: [0x0009, 0x0010], vr: 'LO', value: 'HOSTILE CORPUS' },
          { tag: [0x0009, 0x1001], vr: 'OB', value: Buffer.alloc(4 * 1024 * 1024, 0x41) },
        ],
      },
      importsAs(1),
      'a 4 MiB private element before the pixel data: an oversized header that is still valid',
    ),
    dcm(
      'huge-text-tag',
      {
        ...native(SYNTAX.explicitLittle, 25),
        extra: [{ tag: [0x0008, 0x0070], vr: 'LO', value: 'M'.repeat(60_000) }],
      },
      importsAs(1),
      'a 60,000-character Manufacturer (kept as metadata by default): capped or left out, never an error for the import',
    ),
    dcm(
      'huge-identifying-tag',
      {
        ...native(SYNTAX.explicitLittle, 26),
        extra: [{ tag: [0x0020, 0x4000], vr: 'UT', value: 'C'.repeat(300_000) }],
      },
      importsAs(1),
      'a 300,000-character ImageComments with --include-identifying: over the metadata limit, capped or left out',
      { includeIdentifying: true },
    ),
    dcm(
      'truncated-preamble',
      { ...native(SYNTAX.explicitLittle, 20), preamble: 100 },
      failsAs(['not-an-image']),
      'a 100-byte preamble: DICM is not at 128, so this is not a Part 10 file',
    ),
  ];
};
