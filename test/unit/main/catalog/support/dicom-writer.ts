import { deflateRawSync } from 'node:zlib';

/**
 * A minimal DICOM Part 10 writer for tests (explicit VR little endian meta + dataset). It writes just
 * the attributes the importer reads, native or encapsulated (JPEG) pixel data, so tests can make
 * tiny ultrasound-like files in code instead of shipping any.
 */
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

const tagBytes = (group: number, element: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(group, 0);
  b.writeUInt16LE(element, 2);
  return b;
};

const element = (group: number, elem: number, vr: string, value: Buffer): Buffer => {
  const padded =
    value.length % 2 ? Buffer.concat([value, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])]) : value;
  if (LONG_VRS.has(vr)) {
    const header = Buffer.alloc(8);
    header.write(vr, 0, 'ascii');
    header.writeUInt32LE(padded.length, 4);
    return Buffer.concat([tagBytes(group, elem), header, padded]);
  }
  const header = Buffer.alloc(4);
  header.write(vr, 0, 'ascii');
  header.writeUInt16LE(padded.length, 2);
  return Buffer.concat([tagBytes(group, elem), header, padded]);
};

const str = (group: number, elem: number, vr: string, value: string): Buffer =>
  element(group, elem, vr, Buffer.from(value, 'latin1'));
const us = (group: number, elem: number, value: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return element(group, elem, 'US', b);
};

const item = (data: Buffer): Buffer => {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0xfffe, 0);
  header.writeUInt16LE(0xe000, 2);
  header.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, data]);
};

const encapsulated = (frames: Buffer[], firstFragmentLength?: number): Buffer => {
  const fragments = frames.map((f) => item(f.length % 2 ? Buffer.concat([f, Buffer.from([0])]) : f));
  if (firstFragmentLength !== undefined) fragments[0]!.writeUInt32LE(firstFragmentLength, 4);
  const offsets = Buffer.alloc(frames.length > 1 ? frames.length * 4 : 0);
  let at = 0;
  fragments.forEach((fragment, i) => {
    if (frames.length > 1) offsets.writeUInt32LE(at, i * 4);
    at += fragment.length;
  });
  const header = Buffer.concat([
    tagBytes(0x7fe0, 0x0010),
    Buffer.from('OB\0\0', 'ascii'),
    Buffer.from([0xff, 0xff, 0xff, 0xff]),
  ]);
  const end = Buffer.alloc(8);
  end.writeUInt16LE(0xfffe, 0);
  end.writeUInt16LE(0xe0dd, 2);
  return Buffer.concat([header, item(offsets), ...fragments, end]);
};

export interface DicomSpec {
  rows: number;
  cols: number;
  frames?: number;
  samplesPerPixel?: 1 | 3;
  photometric?: string;
  bitsAllocated?: 8 | 16;
  /** Native pixel data, all frames back to back. */
  pixels?: Buffer;
  /** JPEG-baseline frames (encapsulated). */
  jpegFrames?: Buffer[];
  transferSyntax?: string;
  patientName?: string;
  patientId?: string;
  birthDate?: string;
  studyUid?: string;
  seriesUid?: string;
  institution?: string;
  /** Cut the file to this many bytes (to test truncation). */
  truncateTo?: number;
  /** NumberOfFrames as written (default: `frames`), e.g. a lie about the pixel data. */
  numberOfFrames?: string;
  /** BurnedInAnnotation (0028,0301). */
  burnedIn?: 'YES' | 'NO';
  /** More attributes, written as given (tags in any order: the writer sorts the data set). */
  extra?: Array<{ group: number; element: number; vr: string; value: string }>;
  /** Claim this length for the first compressed fragment (to test fragment bombs). */
  firstFragmentLength?: number;
  /** Deflated explicit little endian (1.2.840.10008.1.2.1.99): the data set is raw-deflated. */
  deflate?: boolean;
}

export const DEFLATED = '1.2.840.10008.1.2.1.99';

/** The (group, element) of an encoded element, for sorting a data set into tag order. */
const tagOf = (bytes: Buffer): number => bytes.readUInt16LE(0) * 0x10000 + bytes.readUInt16LE(2);

export const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
export const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';

export const writeDicom = (spec: DicomSpec): Buffer => {
  const syntax =
    spec.transferSyntax ?? (spec.deflate ? DEFLATED : spec.jpegFrames ? JPEG_BASELINE : EXPLICIT_LITTLE);
  const sopClass = '1.2.840.10008.5.1.4.1.1.3.1';
  const sopInstance = `1.2.826.0.1.3680043.9.7.${spec.rows}.${spec.cols}.${spec.frames ?? 1}`;
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    str(0x0002, 0x0002, 'UI', sopClass),
    str(0x0002, 0x0003, 'UI', sopInstance),
    str(0x0002, 0x0010, 'UI', syntax),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length);
  const bits = spec.bitsAllocated ?? 8;
  const spp = spec.samplesPerPixel ?? 1;
  const body = [
    str(0x0008, 0x0016, 'UI', sopClass),
    str(0x0008, 0x0018, 'UI', sopInstance),
    str(0x0008, 0x0060, 'CS', 'US'),
    ...(spec.institution ? [str(0x0008, 0x0080, 'LO', spec.institution)] : []),
    str(0x0010, 0x0010, 'PN', spec.patientName ?? 'DOE^JANE'),
    str(0x0010, 0x0020, 'LO', spec.patientId ?? 'MRN0001'),
    str(0x0010, 0x0030, 'DA', spec.birthDate ?? '19900101'),
    str(0x0020, 0x000d, 'UI', spec.studyUid ?? '1.2.3.4.5'),
    str(0x0020, 0x000e, 'UI', spec.seriesUid ?? '1.2.3.4.5.6'),
    us(0x0028, 0x0002, spp),
    str(0x0028, 0x0004, 'CS', spec.photometric ?? (spp === 3 ? 'RGB' : 'MONOCHROME2')),
    ...(spp === 3 ? [us(0x0028, 0x0006, 0)] : []),
    str(0x0028, 0x0008, 'IS', spec.numberOfFrames ?? String(spec.frames ?? 1)),
    us(0x0028, 0x0010, spec.rows),
    us(0x0028, 0x0011, spec.cols),
    us(0x0028, 0x0100, bits),
    us(0x0028, 0x0101, bits),
    us(0x0028, 0x0102, bits - 1),
    us(0x0028, 0x0103, 0),
    ...(spec.burnedIn ? [str(0x0028, 0x0301, 'CS', spec.burnedIn)] : []),
    ...(spec.extra ?? []).map((e) => str(e.group, e.element, e.vr, e.value)),
    spec.jpegFrames
      ? encapsulated(spec.jpegFrames, spec.firstFragmentLength)
      : element(
          0x7fe0,
          0x0010,
          bits === 16 ? 'OW' : 'OB',
          spec.pixels ?? Buffer.alloc(spec.rows * spec.cols * spp * (spec.frames ?? 1)),
        ),
  ];
  const file = Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'ascii'),
    element(0x0002, 0x0000, 'UL', groupLength),
    metaBody,
    spec.deflate
      ? deflateRawSync(Buffer.concat(body.sort((a, b) => tagOf(a) - tagOf(b))))
      : Buffer.concat(body.sort((a, b) => tagOf(a) - tagOf(b))),
  ]);
  return spec.truncateTo === undefined ? file : file.subarray(0, spec.truncateTo);
};
