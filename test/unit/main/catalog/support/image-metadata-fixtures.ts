import sharp from 'sharp';

/** Text an unsafe stored copy would leak: a patient name and an MRN. */
export const PHI = { name: 'DOE^JANE', mrn: 'MRN 12345678' } as const;

/** True when any of the PHI strings occurs in the bytes (as Latin-1/UTF-8 text). */
export const leaksPhi = (bytes: Uint8Array): boolean => {
  const text = Buffer.from(bytes).toString('latin1');
  return text.includes(PHI.name) || text.includes('12345678');
};

const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>${PHI.name}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`;

/** An 8×6 gradient, so a decoder that changed any pixel would show. */
export const gradient = () => {
  const w = 8;
  const h = 6;
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) px.set([(i * 37) % 256, (i * 11) % 256, (i * 5) % 256], i * 3);
  return sharp(px, { raw: { width: w, height: h, channels: 3 } });
};

/**
 * The decoded samples, without colour management: stripping drops an embedded ICC profile, so a
 * colour-managed decode of the original would differ by the profile's conversion, not the data.
 */
export const pixels = async (bytes: Uint8Array): Promise<Buffer> =>
  sharp(bytes, { ignoreIcc: true }).raw().toBuffer();

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A PNG chunk with a correct CRC. */
export const pngChunk = (type: string, data: Uint8Array | string): Buffer => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(data)]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(body.length - 4, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
};

/** Inserts chunks just before IEND. */
export const withPngChunks = (png: Buffer, chunks: Buffer[]): Buffer => {
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), ...chunks, png.subarray(iend)]);
};

/** A JPEG with EXIF (name, MRN), XMP, an ICC profile, a COM segment and bytes after EOI. */
export const jpegWithPhi = async (): Promise<Buffer> => {
  const jpeg = await gradient()
    .jpeg({ quality: 95 })
    .withExif({ IFD0: { ImageDescription: PHI.name, Artist: PHI.mrn } })
    .withXmp(XMP)
    .withIccProfile('p3')
    .toBuffer();
  const text = Buffer.from(`patient ${PHI.name}`, 'latin1');
  const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, text.length + 2]), text]);
  return Buffer.concat([jpeg.subarray(0, 2), com, jpeg.subarray(2), Buffer.from(`trailer ${PHI.mrn}`)]);
};

/** A PNG with eXIf (from sharp) plus tEXt, zTXt, iTXt and tIME chunks. */
export const pngWithPhi = async (): Promise<Buffer> => {
  const png = await gradient()
    .png()
    .withExif({ IFD0: { Artist: PHI.mrn } })
    .toBuffer();
  return withPngChunks(png, [
    pngChunk('tEXt', `Author\0${PHI.name}`),
    pngChunk(
      'zTXt',
      Buffer.concat([Buffer.from('Comment\0\0'), Buffer.from([0x78, 0x9c, 3, 0, 0, 0, 0, 1])]),
    ),
    pngChunk('iTXt', `Title\0\0\0\0\0${PHI.mrn}`),
    pngChunk('tIME', Buffer.from([7, 234, 12, 4, 10, 0, 0])),
  ]);
};

/** A lossless WebP with EXIF and XMP (VP8X container). */
export const webpWithPhi = (): Promise<Buffer> =>
  gradient()
    .webp({ lossless: true })
    .withExif({ IFD0: { Artist: PHI.mrn } })
    .withXmp(XMP)
    .toBuffer();

/** A GIF with a comment extension and an XMP application extension before its image. */
export const gifWithPhi = async (): Promise<Buffer> => {
  const gif = await gradient().gif().toBuffer();
  const packed = gif[10]!;
  const afterTable = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  const text = Buffer.from(PHI.name, 'latin1');
  const comment = Buffer.concat([Buffer.from([0x21, 0xfe, text.length]), text, Buffer.from([0])]);
  const xmpData = Buffer.from(PHI.mrn, 'latin1');
  const xmp = Buffer.concat([
    Buffer.from([0x21, 0xff, 11]),
    Buffer.from('XMP DataXMP', 'latin1'),
    Buffer.from([xmpData.length]),
    xmpData,
    Buffer.from([0]),
  ]);
  return Buffer.concat([gif.subarray(0, afterTable), comment, xmp, gif.subarray(afterTable)]);
};
