/**
 * Metadata stripping figures (stored copies without EXIF/XMP/text chunks): time to strip every
 * image of a real dataset folder (read in place, never copied), bytes removed, what was removed,
 * and the same for a generated JPEG carrying EXIF, XMP, ICC and a comment. Prints figures; never
 * fails on a time. `npx tsx bench/metadata-strip.ts [folder]` (default ../shared/datasets/busi).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { metadataStripper, type StrippedBytes } from '../main/catalog/image-metadata-strip';

const folder = process.argv[2] ?? join(process.cwd(), '..', 'shared', 'datasets', 'busi');
const formats: Record<string, string> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.gif': 'gif',
};
const files = readdirSync(folder, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && formats[extname(d.name).toLowerCase()])
  .map((d) => join(d.parentPath, d.name));

let bytesIn = 0;
let bytesOut = 0;
let ms = 0;
const kinds = new Map<string, number>();
for (const file of files) {
  const bytes = readFileSync(file);
  const strip = metadataStripper(formats[extname(file).toLowerCase()]!)!;
  const t0 = performance.now();
  const { bytes: out, removed } = strip(bytes);
  ms += performance.now() - t0;
  bytesIn += bytes.length;
  bytesOut += out.length;
  for (const k of removed) kinds.set(k, (kinds.get(k) ?? 0) + 1);
}
console.log(`folder ${folder}: ${files.length} images, ${(bytesIn / 1e6).toFixed(1)} MB`);
console.log(
  `strip: ${ms.toFixed(1)} ms total, ${((ms / Math.max(1, files.length)) * 1000).toFixed(0)} µs/image, ` +
    `${((bytesIn / 1e6 / ms) * 1000).toFixed(0)} MB/s; removed ${bytesIn - bytesOut} bytes`,
);
console.log(`removed kinds: ${JSON.stringify(Object.fromEntries(kinds))}`);

const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#345' } })
  .jpeg({ quality: 90 })
  .withExif({ IFD0: { Artist: 'bench', ImageDescription: 'bench' } })
  .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>')
  .withIccProfile('p3')
  .toBuffer();
const rounds = 2000;
const t0 = performance.now();
let last: StrippedBytes = { bytes: new Uint8Array(0), removed: [] };
for (let i = 0; i < rounds; i++) last = metadataStripper('jpeg')!(jpeg);
const each = (performance.now() - t0) / rounds;
console.log(
  `640×480 JPEG with EXIF/XMP/ICC (${jpeg.length} bytes → ${last.bytes.length}): ${(each * 1000).toFixed(0)} µs per strip; removed ${last.removed.join(', ')}`,
);
