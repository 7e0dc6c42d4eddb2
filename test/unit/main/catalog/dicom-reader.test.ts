import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_FRAMES, readDicom } from '../../../../main/catalog/dicom-reader';
import { ImportFailure } from '../../../../main/catalog/import-failure';
import { freshCatalog, importOptions, tempDir, writeFile } from './support/catalog-fixtures';
import { writeDicom } from './support/dicom-writer';

const limits = { maxPixels: 100_000_000 };

/** The failure readDicom throws (code and reason), or null when it reads. */
const failureOf = (bytes: Buffer): { code: string; reason: string } | null => {
  try {
    readDicom(bytes, limits);
    return null;
  } catch (error) {
    if (!(error instanceof ImportFailure)) throw error;
    return { code: error.code, reason: error.message };
  }
};

/** The file: 656 bytes, NumberOfFrames 999999999, pixel data for one 10×10 frame. */
const frameBomb = (): Buffer =>
  writeDicom({
    rows: 10,
    cols: 10,
    numberOfFrames: '999999999',
    pixels: Buffer.alloc(100, 7),
    patientId: 'MRN000123',
  });

describe('DICOM reader: trust the pixel data, not the header', () => {
  it('fails the 656-byte frame bomb with a reason, within bounded memory', async () => {
    const bomb = frameBomb();
    expect(bomb.length).toBe(656);
    const root = tempDir('sonofuse-bomb-');
    writeFile(root, 'bomb.dcm', bomb);
    const { catalog } = freshCatalog();
    const before = process.memoryUsage().heapUsed;
    // Before the fix: chooseFrames('all') built an array of 999,999,999 indices (heap OOM).
    const report = await catalog.import(importOptions({ source: root, dataset: 'bomb' }));
    const grown = process.memoryUsage().heapUsed - before;
    expect(report.imported).toBe(0);
    expect(report.errors).toEqual([
      {
        file: 'bomb.dcm',
        line: null,
        code: 'corrupt',
        reason: 'DICOM NumberOfFrames says 999999999 but the pixel data holds 1 frame',
      },
    ]);
    expect(grown).toBeLessThan(64 * 1024 ** 2);
    catalog.close();
  });

  it('refuses headers whose products the bytes cannot hold, before allocating', () => {
    // 65535×65535 is 4.3 gigapixels: refused on the header alone.
    expect(failureOf(writeDicom({ rows: 65535, cols: 65535, pixels: Buffer.alloc(16) }))).toEqual({
      code: 'too-large',
      reason: '65535×65535 is over 100 megapixels',
    });
    // 16-bit words for a 5000×5000 frame would be 50 MB; the file holds 32 bytes.
    expect(
      failureOf(writeDicom({ rows: 5000, cols: 5000, bitsAllocated: 16, pixels: Buffer.alloc(32) })),
    ).toEqual({ code: 'corrupt', reason: 'DICOM pixel data is truncated (not one whole frame)' });
    // RGB: 3 samples per pixel count in the frame size (4×4×3 = 48 bytes; 40 are there).
    expect(
      failureOf(writeDicom({ rows: 4, cols: 4, samplesPerPixel: 3, pixels: Buffer.alloc(40) }))?.code,
    ).toBe('corrupt');
    expect(
      failureOf(writeDicom({ rows: 4, cols: 4, pixels: Buffer.alloc(16), numberOfFrames: 'lots' })),
    ).toMatchObject({ code: 'corrupt', reason: expect.stringContaining('not a positive whole number') });
  });

  it('keeps a hard ceiling on frames even when the bytes hold them', () => {
    const frames = MAX_FRAMES + 1;
    const failure = failureOf(
      writeDicom({ rows: 1, cols: 1, numberOfFrames: String(frames), pixels: Buffer.alloc(frames) }),
    );
    expect(failure).toEqual({
      code: 'too-large',
      reason: `DICOM has ${frames} frames, over the limit of 10000`,
    });
  });

  it('refuses a compressed fragment that claims bytes past the end of the file', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    const spec = { rows: 8, cols: 8, samplesPerPixel: 3 as const, photometric: 'YBR_FULL_422' };
    expect(failureOf(writeDicom({ ...spec, jpegFrames: [jpeg] }))).toBeNull();
    const failure = failureOf(
      writeDicom({ ...spec, jpegFrames: [jpeg, jpeg], frames: 2, firstFragmentLength: 0xfffffff0 }),
    );
    expect(failure).toMatchObject({ code: 'corrupt' });
    // A JPEG larger than the file's rows × columns is refused before it is decoded.
    const big = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    await expect(readDicom(writeDicom({ ...spec, jpegFrames: [big] }), limits).decode(0)).rejects.toThrow(
      'DICOM JPEG frame 0 is 64×48 but the file says 8×8',
    );
    // Three frames claimed, two fragments there.
    expect(failureOf(writeDicom({ ...spec, jpegFrames: [jpeg, jpeg], numberOfFrames: '3' }))).toEqual({
      code: 'corrupt',
      reason: 'DICOM NumberOfFrames says 3 but the pixel data holds 2 frames',
    });
  });

  it('inflates a deflated data set only up to the limit', async () => {
    const small = writeDicom({ rows: 4, cols: 4, pixels: Buffer.alloc(16, 9), deflate: true });
    const image = readDicom(small, limits);
    expect((await image.decode(0)).pixels[0]).toBe(9);
    // 300 MB of zeros deflates to ~300 kB: refused while inflating, never held whole.
    const bomb = writeDicom({
      rows: 1,
      cols: 1,
      numberOfFrames: '1',
      pixels: Buffer.alloc(300 * 1024 ** 2),
      deflate: true,
    });
    expect(bomb.length).toBeLessThan(1024 ** 2);
    expect(failureOf(bomb)).toEqual({ code: 'too-large', reason: 'deflated DICOM inflates past 256 MiB' });
  });

  it('decodes frames only when asked, each from its own bytes', async () => {
    const pixels = Buffer.concat([Buffer.alloc(4, 10), Buffer.alloc(4, 20), Buffer.alloc(4, 30)]);
    const image = readDicom(writeDicom({ rows: 2, cols: 2, frames: 3, pixels }), limits);
    expect(image.frameCount).toBe(3);
    expect([...(await image.decode(2)).pixels]).toEqual([30, 30, 30, 30]);
    await expect(image.decode(3)).rejects.toThrow('DICOM has no frame 3');
  });

  it('answers 2,000 seeded byte mutations with an image or an ImportFailure, nothing else', async () => {
    const base = [
      writeDicom({ rows: 6, cols: 5, frames: 2, pixels: Buffer.alloc(60, 40) }),
      writeDicom({ rows: 4, cols: 4, bitsAllocated: 16, pixels: Buffer.alloc(32, 3), burnedIn: 'YES' }),
      writeDicom({ rows: 3, cols: 3, samplesPerPixel: 3, pixels: Buffer.alloc(27, 9), deflate: true }),
    ];
    // mulberry32, seed 14: the same mutations every run.
    let seed = 14;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const outcomes = { read: 0, failed: 0 };
    const unexpected: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(base[i % base.length]!);
      // Mutate 1-4 bytes after the preamble (tags, lengths, values), sometimes cut the file.
      for (let k = 1 + Math.floor(random() * 4); k > 0; k--)
        bytes[132 + Math.floor(random() * (bytes.length - 132))] = Math.floor(random() * 256);
      const file =
        random() < 0.2 ? bytes.subarray(0, 132 + Math.floor(random() * (bytes.length - 132))) : bytes;
      try {
        const image = readDicom(file, limits);
        for (let f = 0; f < image.frameCount; f++) await image.decode(f);
        outcomes.read++;
      } catch (error) {
        if (error instanceof ImportFailure) outcomes.failed++;
        else unexpected.push(`${i}: ${String(error).slice(0, 120)}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(outcomes.read + outcomes.failed).toBe(2000);
    expect(outcomes.failed).toBeGreaterThan(100);
  });
});
