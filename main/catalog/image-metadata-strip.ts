/**
 * Lossless removal of the metadata a file carries beside its pixels (EXIF, XMP, IPTC, ICC
 * profiles, comments, PNG text chunks): names, MRNs, dates and device serials often sit there.
 * Only the container is rewritten; the compressed pixel data is copied byte for byte, so every
 * decoder yields bit-identical pixels. Each format keeps an allow-list of the structures needed
 * to decode and show the image, and drops everything else, including unknown chunks.
 *
 * Dropping EXIF drops its Orientation tag too: SonoFuse decodes pixels as stored (training,
 * thumbnails), so a stored copy now shows the way the model sees it.
 */

/**
 * The stripped file and what was taken out: kinds from a fixed vocabulary (EXIF, XMP, ICC, IPTC,
 * COM, tEXt…, `APPn`, `unknown chunk`), never contents or identifiers found in the file.
 */
export interface StrippedBytes {
  bytes: Uint8Array;
  removed: string[];
}

/** The container could not be walked; the caller re-encodes the decoded pixels instead. */
export class UnparsableContainerError extends Error {}

const fail = (why: string): never => {
  throw new UnparsableContainerError(why);
};

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

// ---- JPEG (ITU T.81): SOI, marker segments, entropy-coded scans, EOI -------------------------

const JPEG_APP_IDS: ReadonlyArray<[string, string]> = [
  ['Exif\0', 'EXIF'],
  ['http://ns.adobe.com/xap/1.0/\0', 'XMP'],
  ['http://ns.adobe.com/xmp/extension/\0', 'XMP'],
  ['ICC_PROFILE\0', 'ICC'],
  ['Photoshop 3.0\0', 'IPTC'],
  ['MPF\0', 'MPF'],
  ['JFXX\0', 'JFIF thumbnail'],
];

const jpegSegmentName = (marker: number, body: Uint8Array): string => {
  if (marker === 0xfe) return 'COM';
  const known = JPEG_APP_IDS.find(([id]) => ascii(body, 0, id.length) === id);
  return known ? known[1] : `APP${marker - 0xe0}`;
};

/** APP0 "JFIF" (pixel aspect and density) and APP14 "Adobe" (colour transform) are needed to decode. */
const jpegKeeps = (marker: number, body: Uint8Array): boolean =>
  (marker === 0xe0 && ascii(body, 0, 5) === 'JFIF\0') || (marker === 0xee && ascii(body, 0, 5) === 'Adobe');

/**
 * Removes every APPn segment except JFIF APP0 and Adobe APP14, every COM segment, and anything
 * after EOI (appended payloads, MPF secondary images). Scans are copied unchanged.
 */
export const stripJpeg = (bytes: Uint8Array): StrippedBytes => {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) fail('no JPEG start-of-image marker');
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  const removed: string[] = [];
  let at = 2;
  for (;;) {
    if (at >= bytes.length) fail('JPEG ends before its end-of-image marker');
    if (bytes[at] !== 0xff) fail(`JPEG marker expected at byte ${at}`);
    let m = at + 1;
    while (bytes[m] === 0xff) m++; // fill bytes
    const marker = bytes[m];
    if (marker === undefined) fail('JPEG ends inside a marker');
    const start = m - 1; // keep one 0xFF, drop fill bytes
    if (marker === 0xd9) {
      parts.push(bytes.subarray(start, m + 1));
      if (m + 1 < bytes.length) removed.push('data after EOI');
      break;
    }
    if ((marker! >= 0xd0 && marker! <= 0xd7) || marker === 0x01) {
      parts.push(bytes.subarray(start, m + 1));
      at = m + 1;
      continue;
    }
    if (m + 2 >= bytes.length) fail('JPEG ends inside a segment length');
    const length = (bytes[m + 1]! << 8) | bytes[m + 2]!;
    if (length < 2 || m + 1 + length > bytes.length) fail('JPEG segment runs past the end of the file');
    let end = m + 1 + length;
    const body = bytes.subarray(m + 3, end);
    if ((marker! >= 0xe0 && marker! <= 0xef) || marker === 0xfe) {
      if (!jpegKeeps(marker!, body)) {
        removed.push(jpegSegmentName(marker!, body));
        at = end;
        continue;
      }
    }
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is neither stuffing (FF00) nor a restart.
      while (end < bytes.length) {
        if (bytes[end] === 0xff) {
          const next = bytes[end + 1];
          if (next === undefined) break;
          if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
          end += next === 0xff ? 1 : 2;
        } else end++;
      }
    }
    parts.push(bytes.subarray(start, end));
    at = end;
  }
  return { bytes: concat(parts), removed };
};

// ---- PNG: signature, then length-type-data-CRC chunks -----------------------------------------

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/**
 * Chunks needed to decode and show the image: critical ones, transparency, colour space without
 * profile text (gamma, chromaticities, sRGB, cICP, HDR levels), significant bits, background,
 * physical size, histogram, and the APNG animation chunks (pixel data of the other frames).
 * Dropped: tEXt, zTXt, iTXt, eXIf, tIME, iCCP (a named ICC profile), sPLT and any unknown chunk.
 */
const PNG_NAMED = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME', 'iCCP', 'sPLT']);
const PNG_KEEP = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'gAMA',
  'cHRM',
  'sRGB',
  'cICP',
  'mDCV',
  'cLLI',
  'sBIT',
  'bKGD',
  'pHYs',
  'hIST',
  'acTL',
  'fcTL',
  'fdAT',
]);

export const stripPng = (bytes: Uint8Array): StrippedBytes => {
  if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) fail('no PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  const removed: string[] = [];
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) fail('PNG ends before IEND');
    const length = view.getUint32(at);
    const type = ascii(bytes, at + 4, 4);
    const end = at + 12 + length;
    if (end > bytes.length) fail('a PNG chunk runs past the end');
    if (PNG_KEEP.has(type)) parts.push(bytes.subarray(at, end));
    else removed.push(PNG_NAMED.has(type) ? type : 'unknown chunk');
    at = end;
    if (type === 'IEND') break;
  }
  if (at < bytes.length) removed.push('data after IEND');
  return { bytes: concat(parts), removed };
};

// ---- WebP: RIFF container ------------------------------------------------------------------

const WEBP_KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF']);
const WEBP_NAMED = new Map([
  ['EXIF', 'EXIF'],
  ['XMP ', 'XMP'],
  ['ICCP', 'ICC'],
]);
const VP8X_ICC = 0x20;
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

/** Keeps the bitstream, alpha and animation chunks; drops ICCP, EXIF, XMP and unknown chunks. */
export const stripWebp = (bytes: Uint8Array): StrippedBytes => {
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP') fail('no RIFF WEBP header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = Math.min(bytes.length, 8 + view.getUint32(4, true));
  const parts: Uint8Array[] = [];
  const removed: string[] = [];
  let at = 12;
  while (at + 8 <= riffEnd) {
    const type = ascii(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size % 2);
    if (at + 8 + size > riffEnd) fail('a WebP chunk runs past the end');
    if (WEBP_KEEP.has(type)) {
      const chunk = bytes.slice(at, Math.min(end, riffEnd));
      if (type === 'VP8X') chunk[8] = chunk[8]! & ~(VP8X_ICC | VP8X_EXIF | VP8X_XMP);
      parts.push(chunk);
    } else removed.push(WEBP_NAMED.get(type) ?? 'unknown chunk');
    at = end;
  }
  if (riffEnd < bytes.length) removed.push('data after RIFF');
  const body = concat(parts);
  const header = new Uint8Array(12);
  header.set(bytes.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, 4 + body.length, true);
  return { bytes: concat([header, body]), removed };
};

// ---- GIF: header, screen descriptor, colour table, then images and extensions ----------------

/** Offset after the data sub-blocks that start at `at` (each a length byte, a 0 ends them). */
const gifSubBlocksEnd = (bytes: Uint8Array, at: number): number => {
  for (;;) {
    const size = bytes[at];
    if (size === undefined) fail('GIF ends inside a data block');
    at += 1 + size!;
    if (size === 0) return at;
  }
};

const GIF_LOOP_APPS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);

/**
 * Keeps images (with their colour tables and LZW data), graphic-control extensions and the
 * animation loop count; drops comments, plain-text extensions and every other application
 * extension (XMP, ICC), and anything after the trailer.
 */
export const stripGif = (bytes: Uint8Array): StrippedBytes => {
  if (!/^GIF8[79]a$/.test(ascii(bytes, 0, 6))) fail('no GIF header');
  const table = (packed: number): number => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  let at = 13 + table(bytes[10] ?? 0);
  const parts: Uint8Array[] = [bytes.subarray(0, at)];
  const removed: string[] = [];
  for (;;) {
    const kind = bytes[at];
    if (kind === 0x3b) {
      parts.push(bytes.subarray(at, at + 1));
      if (at + 1 < bytes.length) removed.push('data after trailer');
      break;
    }
    if (kind === 0x2c) {
      const end = gifSubBlocksEnd(bytes, at + 10 + table(bytes[at + 9] ?? 0) + 1);
      parts.push(bytes.subarray(at, end));
      at = end;
    } else if (kind === 0x21) {
      const label = bytes[at + 1];
      const end = gifSubBlocksEnd(bytes, at + 2);
      const app = label === 0xff ? ascii(bytes, at + 3, 11) : '';
      if (label === 0xf9 || GIF_LOOP_APPS.has(app)) parts.push(bytes.subarray(at, end));
      else removed.push(label === 0xfe ? 'comment' : label === 0x01 ? 'plain text' : 'application extension');
      at = end;
    } else fail(`GIF block expected at byte ${at}`);
    if (at > bytes.length) fail('GIF ends inside a block');
  }
  return { bytes: concat(parts), removed };
};

const STRIPPERS = new Map<string, (bytes: Uint8Array) => StrippedBytes>([
  ['jpeg', stripJpeg],
  ['png', stripPng],
  ['webp', stripWebp],
  ['gif', stripGif],
]);

/** The container stripper for a format sharp reported, or null where the pixels must be re-encoded. */
export const metadataStripper = (format: string): ((bytes: Uint8Array) => StrippedBytes) | null =>
  STRIPPERS.get(format) ?? null;

/** The bytes the managed store keeps for a plain image file, and what they are. */
export interface StoredCopy {
  bytes: Uint8Array;
  /** Format of `bytes` (`png` where the pixels had to be re-encoded). */
  format: string;
  ext: string;
  /** Kinds of metadata taken out (empty when there was none, or the original was kept). */
  removed: string[];
}

/**
 * What to store for an image file of `format`: the original bytes when the user asked to keep
 * them; else the file with its metadata stripped from the container (JPEG, PNG, WebP, GIF); else
 * (TIFF, or a container too irregular to walk) the decoded pixels re-encoded losslessly by
 * `reencodePng`.
 */
export const storedCopyOf = async (
  bytes: Uint8Array,
  format: string,
  keepOriginal: boolean,
  reencodePng: () => Promise<Uint8Array>,
): Promise<StoredCopy> => {
  const ext = format === 'jpeg' ? 'jpg' : format;
  if (keepOriginal) return { bytes, format, ext, removed: [] };
  const strip = metadataStripper(format);
  if (strip) {
    try {
      return { ...strip(bytes), format, ext };
    } catch (error) {
      if (!(error instanceof UnparsableContainerError)) throw error;
    }
  }
  return { bytes: await reencodePng(), format: 'png', ext: 'png', removed: [`${format} re-encoded as PNG`] };
};

/** The import report's notice for files whose stored copies left metadata out (kinds, no contents). */
export const strippedNotice = (files: number, kinds: Iterable<string>): string =>
  `Embedded metadata (${[...kinds].sort().join(', ')}) was left out of the stored copies of ${files} ` +
  'file(s); the original files are unchanged. Import with "keep original bytes" to store it.';
