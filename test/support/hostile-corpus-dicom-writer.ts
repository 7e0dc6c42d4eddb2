import { createDeflateRaw, deflateRawSync } from 'node:zlib';

/**
 * A DICOM Part 10 writer for hostile fixtures: every transfer syntax's encoding (implicit VR little
 * endian, explicit VR little and big endian, deflated, encapsulated JPEG/RLE), and the freedom to
 * write headers that lie (frame counts, sizes, lengths). The catalog tests' writer
 * (test/unit/main/catalog/support/dicom-writer.ts) makes well-formed explicit little endian only.
 */

export const SYNTAX = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  deflated: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  rle: '1.2.840.10008.1.2.5',
  unknown: '1.2.826.0.1.3680043.9.99999.1',
} as const;

type Encoding = 'implicit-le' | 'explicit-le' | 'explicit-be';
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

interface Element {
  tag: [number, number];
  vr: string;
  value: Buffer;
  /** Write this length instead of the value's (a lying length field). */
  length?: number;
}

const encodeElement = (el: Element, enc: Encoding): Buffer => {
  const big = enc === 'explicit-be' && el.tag[0] !== 0x0002;
  const value =
    el.value.length % 2 ? Buffer.concat([el.value, Buffer.from([el.vr === 'UI' ? 0 : 0x20])]) : el.value;
  const length = el.length ?? value.length;
  const tag = Buffer.alloc(4);
  if (big) {
    tag.writeUInt16BE(el.tag[0], 0);
    tag.writeUInt16BE(el.tag[1], 2);
  } else {
    tag.writeUInt16LE(el.tag[0], 0);
    tag.writeUInt16LE(el.tag[1], 2);
  }
  if (enc === 'implicit-le' && el.tag[0] !== 0x0002) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(length >>> 0);
    return Buffer.concat([tag, len, value]);
  }
  if (LONG_VRS.has(el.vr)) {
    const head = Buffer.alloc(8);
    head.write(el.vr, 0, 'ascii');
    if (big) head.writeUInt32BE(length >>> 0, 4);
    else head.writeUInt32LE(length >>> 0, 4);
    return Buffer.concat([tag, head, value]);
  }
  const head = Buffer.alloc(4);
  head.write(el.vr, 0, 'ascii');
  if (big) head.writeUInt16BE(length, 2);
  else head.writeUInt16LE(length, 2);
  return Buffer.concat([tag, head, value]);
};

const text = (group: number, element: number, vr: string, value: string): Element => ({
  tag: [group, element],
  vr,
  value: Buffer.from(value, 'latin1'),
});

/** Encapsulated pixel data: an empty offset table, one fragment per entry, the sequence delimiter. */
const encapsulated = (fragments: readonly Buffer[], fragmentLength?: number): Buffer => {
  const item = (data: Buffer, length = data.length): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt16LE(0xfffe, 0);
    head.writeUInt16LE(0xe000, 2);
    head.writeUInt32LE(length >>> 0, 4);
    return Buffer.concat([head, data]);
  };
  const end = Buffer.alloc(8);
  end.writeUInt16LE(0xfffe, 0);
  end.writeUInt16LE(0xe0dd, 2);
  const head = Buffer.alloc(12);
  head.writeUInt16LE(0x7fe0, 0);
  head.writeUInt16LE(0x0010, 2);
  head.write('OB', 4, 'ascii');
  head.writeUInt32LE(0xffffffff, 8);
  const even = (f: Buffer): Buffer => (f.length % 2 ? Buffer.concat([f, Buffer.from([0])]) : f);
  return Buffer.concat([
    head,
    item(Buffer.alloc(0)),
    ...fragments.map((f, i) => item(even(f), i === 0 ? fragmentLength : undefined)),
    end,
  ]);
};

export interface HostileDicomSpec {
  syntax: string;
  /** How the data set is encoded; follows the syntax unless forced (a lie). */
  encoding?: Encoding;
  rows: number;
  cols: number;
  /** NumberOfFrames as written (text: it may be anything). */
  frames?: string;
  samplesPerPixel?: number;
  bitsAllocated?: number;
  photometric?: string;
  /** Native pixel data as stored (already in the syntax's byte order); null leaves it out. */
  pixels?: Buffer | null;
  /** Encapsulated fragments (JPEG or RLE) instead of native pixel data. */
  fragments?: Buffer[];
  /** Writes this length for the first fragment instead of its real one. */
  fragmentLength?: number;
  /** Writes this length for native pixel data instead of its real one. */
  pixelLength?: number;
  /** Deflates the data set (the deflated transfer syntax). */
  deflate?: boolean;
  /** Bytes written after the meta header instead of the data set (e.g. a prepared deflate bomb). */
  rawDataset?: Buffer;
  /** Preamble length (128 in a valid file). */
  preamble?: number;
  /** Cuts the file to this many bytes. */
  truncateTo?: number;
  /** More data-set attributes (text values in latin1), e.g. BurnedInAnnotation or a huge private tag. */
  extra?: { tag: [number, number]; vr: string; value: string | Buffer }[];
}

const encodingFor = (syntax: string): Encoding =>
  syntax === SYNTAX.implicitLittle
    ? 'implicit-le'
    : syntax === SYNTAX.explicitBig
      ? 'explicit-be'
      : 'explicit-le';

/** Writes a DICOM file from a spec; see {@link HostileDicomSpec} for the lies it can tell. */
export const writeHostileDicom = (spec: HostileDicomSpec): Buffer => {
  const enc = spec.encoding ?? encodingFor(spec.syntax);
  const big = enc === 'explicit-be';
  const us = (group: number, element: number, value: number): Element => {
    const b = Buffer.alloc(2);
    if (big) b.writeUInt16BE(value & 0xffff);
    else b.writeUInt16LE(value & 0xffff);
    return { tag: [group, element], vr: 'US', value: b };
  };
  const sopClass = '1.2.840.10008.5.1.4.1.1.6.1';
  const meta = [
    { tag: [0x0002, 0x0001], vr: 'OB', value: Buffer.from([0, 1]) } as Element,
    text(0x0002, 0x0002, 'UI', sopClass),
    text(0x0002, 0x0003, 'UI', '1.2.826.0.1.3680043.9.7.1'),
    text(0x0002, 0x0010, 'UI', spec.syntax),
  ].map((el) => encodeElement(el, 'explicit-le'));
  const metaBody = Buffer.concat(meta);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length);
  const spp = spec.samplesPerPixel ?? 1;
  const bits = spec.bitsAllocated ?? 8;
  const elements: Element[] = [
    text(0x0008, 0x0016, 'UI', sopClass),
    text(0x0008, 0x0060, 'CS', 'US'),
    text(0x0010, 0x0010, 'PN', 'HOSTILE^CORPUS'),
    text(0x0010, 0x0020, 'LO', 'MRN-HOSTILE-1'),
    us(0x0028, 0x0002, spp),
    text(0x0028, 0x0004, 'CS', spec.photometric ?? (spp === 3 ? 'RGB' : 'MONOCHROME2')),
    ...(spec.frames === undefined ? [] : [text(0x0028, 0x0008, 'IS', spec.frames)]),
    us(0x0028, 0x0010, spec.rows),
    us(0x0028, 0x0011, spec.cols),
    us(0x0028, 0x0100, bits),
    us(0x0028, 0x0101, bits),
    us(0x0028, 0x0102, Math.max(0, bits - 1)),
    us(0x0028, 0x0103, 0),
  ];
  for (const { tag, vr, value } of spec.extra ?? [])
    elements.push({ tag, vr, value: typeof value === 'string' ? Buffer.from(value, 'latin1') : value });
  elements.sort((a, b) => a.tag[0] - b.tag[0] || a.tag[1] - b.tag[1]);
  const body = Buffer.concat(elements.map((el) => encodeElement(el, enc)));
  const pixelData = spec.fragments
    ? encapsulated(spec.fragments, spec.fragmentLength)
    : spec.pixels === null
      ? Buffer.alloc(0)
      : encodeElement(
          {
            tag: [0x7fe0, 0x0010],
            vr: bits > 8 ? 'OW' : 'OB',
            value: spec.pixels ?? Buffer.alloc(spec.rows * spec.cols * spp * (bits > 8 ? 2 : 1)),
            length: spec.pixelLength,
          },
          enc,
        );
  const dataset = Buffer.concat([body, pixelData]);
  const groupLengthElement = encodeElement(
    { tag: [0x0002, 0x0000], vr: 'UL', value: groupLength },
    'explicit-le',
  );
  const file = Buffer.concat([
    Buffer.alloc(spec.preamble ?? 128),
    Buffer.from('DICM', 'ascii'),
    groupLengthElement,
    metaBody,
    spec.rawDataset ?? (spec.deflate ? deflateRawSync(dataset) : dataset),
  ]);
  return spec.truncateTo === undefined ? file : file.subarray(0, spec.truncateTo);
};

/**
 * A raw-deflate stream of `inflatedBytes` zero bytes (a zip bomb: about 1 KB per MB), compressed in
 * 1 MiB steps so making it never holds the inflated size in memory.
 */
export const deflateBomb = async (inflatedBytes: number): Promise<Buffer> => {
  const zip = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
  });
  const step = Buffer.alloc(1024 * 1024);
  for (let left = inflatedBytes; left > 0; left -= step.length) {
    if (!zip.write(left >= step.length ? step : step.subarray(0, left)))
      await new Promise((resolve) => zip.once('drain', resolve));
  }
  zip.end();
  await done;
  return Buffer.concat(out);
};

/** A PackBits-free RLE Lossless frame of one 8-bit segment (header + literal runs). */
export const rleFrame = (pixels: Buffer): Buffer => {
  const header = Buffer.alloc(64);
  header.writeUInt32LE(1, 0);
  header.writeUInt32LE(64, 4);
  const runs: Buffer[] = [];
  for (let at = 0; at < pixels.length; at += 128) {
    const chunk = pixels.subarray(at, at + 128);
    runs.push(Buffer.from([chunk.length - 1]), chunk);
  }
  return Buffer.concat([header, ...runs]);
};
