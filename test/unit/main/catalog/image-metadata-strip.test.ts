import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  UnparsableContainerError,
  storedCopyOf,
  stripGif,
  stripJpeg,
  stripPng,
  stripWebp,
} from '../../../../main/catalog/image-metadata-strip';
import {
  gifWithPhi,
  gradient,
  jpegWithPhi,
  leaksPhi,
  pixels,
  pngWithPhi,
  webpWithPhi,
} from './support/image-metadata-fixtures';

describe('lossless metadata stripping', () => {
  it('JPEG: drops EXIF, XMP, ICC, COM and data after EOI, keeps the scan byte for byte', async () => {
    const original = await jpegWithPhi();
    expect(leaksPhi(original)).toBe(true);
    const { bytes, removed } = stripJpeg(original);
    expect(leaksPhi(bytes)).toBe(false);
    expect(removed).toEqual(['COM', 'EXIF', 'XMP', 'ICC', 'data after EOI']);
    // The entropy-coded scan (from SOS to EOI) is the same bytes: nothing was re-encoded.
    const stripped = Buffer.from(bytes);
    const scan = stripped.subarray(stripped.indexOf(Buffer.from([0xff, 0xda])));
    expect(scan.length).toBeGreaterThan(100);
    expect(original.includes(scan)).toBe(true);
    expect((await pixels(bytes)).equals(await pixels(original))).toBe(true);
    const meta = await sharp(bytes).metadata();
    expect([meta.exif, meta.xmp, meta.icc, meta.comments]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // Idempotent: a clean file comes back unchanged.
    expect(Buffer.from(stripJpeg(bytes).bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(stripJpeg(bytes).removed).toEqual([]);
  });

  it('JPEG: keeps JFIF APP0 and every scan of a progressive file byte for byte', async () => {
    const scans = await gradient().resize(64, 48).jpeg({ progressive: true, quality: 80 }).toBuffer();
    const jfif = Buffer.from([0xff, 0xe0, 0, 16, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    const jpeg = Buffer.concat([scans.subarray(0, 2), jfif, scans.subarray(2)]);
    const { bytes, removed } = stripJpeg(jpeg);
    expect(removed).toEqual([]);
    expect(Buffer.from(bytes).equals(jpeg)).toBe(true);
  });

  it('JPEG: keeps Adobe APP14 (a CMYK file decodes the same only with it)', async () => {
    const cmyk = await gradient()
      .toColourspace('cmyk')
      .jpeg()
      .withExif({ IFD0: { Artist: 'MRN 12345678' } })
      .toBuffer();
    const { bytes, removed } = stripJpeg(cmyk);
    expect(removed).toEqual(['EXIF']);
    expect(Buffer.from(bytes).includes('Adobe')).toBe(true);
    expect(leaksPhi(bytes)).toBe(false);
    expect((await pixels(bytes)).equals(await pixels(cmyk))).toBe(true);
  });

  it('PNG: drops tEXt, zTXt, iTXt, eXIf and tIME, keeps IHDR/pHYs/IDAT/IEND and the pixels', async () => {
    const original = await pngWithPhi();
    expect(leaksPhi(original)).toBe(true);
    const { bytes, removed } = stripPng(original);
    expect(leaksPhi(bytes)).toBe(false);
    expect(removed).toEqual(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);
    expect((await pixels(bytes)).equals(await pixels(original))).toBe(true);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
  });

  it('WebP: drops EXIF and XMP chunks, clears their VP8X flags, keeps the bitstream', async () => {
    const original = await webpWithPhi();
    expect(leaksPhi(original)).toBe(true);
    const { bytes, removed } = stripWebp(original);
    expect(leaksPhi(bytes)).toBe(false);
    expect(removed).toEqual(['EXIF', 'XMP']);
    const odd = Buffer.concat([
      Buffer.from(bytes),
      Buffer.from('DOE!'),
      Buffer.from([4, 0, 0, 0]),
      Buffer.from('JANE'),
    ]);
    odd.writeUInt32LE(odd.length - 8, 4);
    // An unknown chunk is dropped and named by its kind only, never by what the file calls it.
    expect(stripWebp(odd).removed).toEqual(['unknown chunk']);
    expect(Buffer.from(bytes).readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes[20]! & 0x0c).toBe(0);
    expect((await pixels(bytes)).equals(await pixels(original))).toBe(true);
  });

  it('GIF: drops comment and XMP application extensions, keeps the image', async () => {
    const original = await gifWithPhi();
    expect(leaksPhi(original)).toBe(true);
    const { bytes, removed } = stripGif(original);
    expect(leaksPhi(bytes)).toBe(false);
    expect(removed).toEqual(['comment', 'application extension']);
    expect((await pixels(bytes)).equals(await pixels(original))).toBe(true);
  });

  it('re-encodes to a lossless PNG what it cannot walk (TIFF, an irregular JPEG), same pixels', async () => {
    const tiff = await gradient()
      .tiff({ compression: 'lzw' })
      .withExif({ IFD0: { Artist: 'MRN 12345678' } })
      .toBuffer();
    const reencode = (b: Uint8Array) => () => sharp(b).png().toBuffer();
    const copy = await storedCopyOf(tiff, 'tiff', false, reencode(tiff));
    expect([copy.format, copy.ext, copy.removed]).toEqual(['png', 'png', ['tiff re-encoded as PNG']]);
    expect(leaksPhi(copy.bytes)).toBe(false);
    expect((await pixels(copy.bytes)).equals(await pixels(tiff))).toBe(true);

    const jpeg = await jpegWithPhi();
    const irregular = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0x00, 0x00]), jpeg.subarray(2)]);
    expect(() => stripJpeg(irregular)).toThrow(UnparsableContainerError);
    const fallback = await storedCopyOf(irregular, 'jpeg', false, async () =>
      sharp(await pixels(jpeg), { raw: { width: 8, height: 6, channels: 3 } })
        .png()
        .toBuffer(),
    );
    expect(fallback.format).toBe('png');
    expect(leaksPhi(fallback.bytes)).toBe(false);
  });

  it('keeps the original bytes only when asked', async () => {
    const jpeg = await jpegWithPhi();
    const kept = await storedCopyOf(jpeg, 'jpeg', true, () => Promise.reject(new Error('not used')));
    expect(Buffer.from(kept.bytes).equals(jpeg)).toBe(true);
    expect([kept.ext, kept.removed]).toEqual(['jpg', []]);
  });
});
