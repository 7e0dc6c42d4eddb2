import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { failsAs, importsAs, type HostileCase } from './hostile-corpus-types';

/**
 * Hostile PNG and JPEG files, made from a small valid image by cutting or rewriting bytes: truncated
 * streams, headers that claim 65500×65500 (decompression bombs), headers that contradict the data,
 * broken Huffman tables, zero sizes, zero-length files. Every file is generated; none is committed.
 */

/** A deterministic textured image (noise compresses badly, so there is data to cut into). */
const texture = (width: number, height: number, seed: number): Buffer => {
  const px = Buffer.alloc(width * height * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    px[i] = (s >>> 24) ^ ((i / 3) & 0x3f);
  }
  return px;
};

const encode = (format: 'png' | 'jpeg', seed: number, width = 64, height = 48): Promise<Buffer> => {
  const image = sharp(texture(width, height, seed), { raw: { width, height, channels: 3 } });
  return format === 'png'
    ? image.png({ compressionLevel: 6 }).toBuffer()
    : image.jpeg({ quality: 85, mozjpeg: false, progressive: false }).toBuffer();
};

/** Rewrites the PNG IHDR width/height (and its CRC, so only the contradiction is wrong). */
const pngWithSize = (png: Buffer, width: number, height: number): Buffer => {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
};

/** Byte offset of the first JPEG marker `code` (e.g. 0xc0 SOF0, 0xc4 DHT, 0xda SOS). */
const markerAt = (jpeg: Buffer, code: number): number => {
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    if (jpeg[at + 1] === code) return at;
    if (jpeg[at + 1] === 0xda) break;
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  throw new Error(`marker ${code.toString(16)} not found`);
};

/** Rewrites the SOF0 height/width of a baseline JPEG. */
const jpegWithSize = (jpeg: Buffer, width: number, height: number): Buffer => {
  const out = Buffer.from(jpeg);
  const sof = markerAt(out, 0xc0);
  out.writeUInt16BE(height, sof + 5);
  out.writeUInt16BE(width, sof + 7);
  return out;
};

/** Breaks the first Huffman table: code counts that add up to more codes than 16 bits allow. */
const jpegBadHuffman = (jpeg: Buffer): Buffer => {
  const out = Buffer.from(jpeg);
  const dht = markerAt(out, 0xc4);
  for (let i = 0; i < 16; i++) out[dht + 5 + i] = 0xff;
  return out;
};

export const imageCases = async (dir: string): Promise<HostileCase[]> => {
  const png = await encode('png', 1);
  const jpeg = await encode('jpeg', 2);
  const file = (name: string, bytes: Buffer | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const pngCase = (name: string, bytes: Buffer, expect: HostileCase['expect'], why: string): HostileCase => ({
    name: `png-${name}`,
    group: 'png',
    source: file(`${name}.png`, bytes),
    expect,
    why,
  });
  const jpegCase = (
    name: string,
    bytes: Buffer,
    expect: HostileCase['expect'],
    why: string,
  ): HostileCase => ({
    name: `jpeg-${name}`,
    group: 'jpeg',
    source: file(`${name}.jpg`, bytes),
    expect,
    why,
  });
  const iend = png.indexOf(Buffer.from('IEND'));
  const idat = png.indexOf(Buffer.from('IDAT'));
  const sof = markerAt(jpeg, 0xc0);
  const sos = markerAt(jpeg, 0xda);
  return [
    pngCase('good', png, importsAs(1), 'control: a valid PNG imports'),
    pngCase(
      'trailing-garbage',
      Buffer.concat([png, Buffer.from('garbage after IEND '.repeat(20))]),
      importsAs(1),
      'bytes after IEND are harmless and common (some scanners append data)',
    ),
    pngCase('truncated-half', png.subarray(0, png.length >> 1), failsAs(['corrupt']), 'a copy cut short'),
    pngCase(
      'missing-iend',
      png.subarray(0, iend - 4),
      importsAs(1),
      'every pixel is there, only the end chunk is missing: tolerated, as every viewer does',
    ),
    pngCase(
      'header-only',
      png.subarray(0, 33),
      failsAs(['corrupt', 'not-an-image']),
      'signature and IHDR, no image data',
    ),
    pngCase('signature-only', png.subarray(0, 8), failsAs(['not-an-image', 'corrupt']), 'eight bytes'),
    pngCase(
      'bomb-65500',
      pngWithSize(png, 65500, 65500),
      failsAs(['too-large']),
      'IHDR claims 65500×65500 (4.3 gigapixels): a decompression bomb must be refused before decoding',
    ),
    pngCase(
      'contradictory-size',
      pngWithSize(png, 3000, 3000),
      failsAs(['corrupt']),
      'IHDR claims 3000×3000 (under the pixel limit) but the data holds 64×48',
    ),
    pngCase(
      'zero-width',
      pngWithSize(png, 0, 48),
      failsAs(['not-an-image', 'corrupt']),
      'IHDR width 0 is invalid',
    ),
    pngCase(
      'bad-idat',
      Buffer.concat([png.subarray(0, idat + 6), Buffer.alloc(40, 0xaa), png.subarray(idat + 46)]),
      failsAs(['corrupt']),
      'the compressed image data is damaged',
    ),
    pngCase('zero-length', Buffer.alloc(0), failsAs(['empty']), 'a 0-byte file'),
    {
      name: 'png-named-jpg',
      group: 'png',
      source: file('png-named.jpg', png),
      expect: importsAs(1),
      why: 'content decides the format, not the extension',
    },
    {
      name: 'text-named-png',
      group: 'png',
      source: file('text.png', 'file,label\na.png,benign\n'),
      expect: failsAs(['not-an-image']),
      why: 'a text file with an image extension',
    },
    jpegCase('good', jpeg, importsAs(1), 'control: a valid JPEG imports'),
    jpegCase(
      'truncated-sof',
      jpeg.subarray(0, sof + 6),
      failsAs(['not-an-image', 'corrupt']),
      'cut inside the frame header',
    ),
    jpegCase(
      'truncated-scan',
      jpeg.subarray(0, sos + Math.floor((jpeg.length - sos) / 2)),
      failsAs(['corrupt']),
      'cut half way through the entropy-coded data',
    ),
    jpegCase(
      'no-eoi',
      jpeg.subarray(0, jpeg.length - 2),
      failsAs(['corrupt']),
      'the end-of-image marker is missing',
    ),
    jpegCase(
      'bomb-65500',
      jpegWithSize(jpeg, 65500, 65500),
      failsAs(['too-large']),
      'SOF claims 65500×65500: a decompression bomb must be refused before decoding',
    ),
    jpegCase(
      'contradictory-size',
      jpegWithSize(jpeg, 4000, 3000),
      failsAs(['corrupt']),
      'SOF claims 4000×3000 but the scan holds 64×48',
    ),
    jpegCase(
      'zero-height',
      jpegWithSize(jpeg, 64, 0),
      failsAs(['not-an-image', 'corrupt']),
      'SOF height 0 (DNL) is not supported by the decoder',
    ),
    jpegCase('bad-huffman', jpegBadHuffman(jpeg), failsAs(['corrupt', 'not-an-image']), 'a broken DHT table'),
    jpegCase('soi-only', jpeg.subarray(0, 2), failsAs(['not-an-image', 'corrupt']), 'just FF D8'),
    jpegCase('zero-length', Buffer.alloc(0), failsAs(['empty']), 'a 0-byte file'),
  ];
};
