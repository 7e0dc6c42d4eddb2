import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { BurnedInPolicy } from '../../../../shared/contract/catalog';
import { freshCatalog, importOptions, tempDir, writeFile } from './support/catalog-fixtures';
import { writeDicom } from './support/dicom-writer';

const ROWS = 40;
const COLS = 48;
/** First row of the scan sector in the generated frame. */
const SECTOR_TOP = 12;

/**
 * An ultrasound-like frame: a header band (rows 0-7) with burned-in "text" (3×3 white blocks, like
 * glyph strokes, on black), then black, then a grey scan area from row 12 down (value 120).
 */
const usFrame = (): Buffer => {
  const px = Buffer.alloc(ROWS * COLS);
  for (let y = 2; y < 7; y++) for (let x = 2; x < 40; x++) if (x % 6 < 3 && y < 5) px[y * COLS + x] = 255;
  for (let y = SECTOR_TOP; y < ROWS; y++) for (let x = 8; x < 41; x++) px[y * COLS + x] = 120;
  return px;
};

const importOne = async (
  policy: BurnedInPolicy,
  setMask?: { x: number; y: number; w: number; h: number },
) => {
  const root = tempDir('sonofuse-burned-');
  writeFile(root, 'burned.dcm', writeDicom({ rows: ROWS, cols: COLS, pixels: usFrame(), burnedIn: 'YES' }));
  writeFile(
    root,
    'clean.dcm',
    writeDicom({ rows: 8, cols: 8, pixels: Buffer.alloc(64, 50), burnedIn: 'NO', seriesUid: '7.7' }),
  );
  const { catalog } = freshCatalog();
  if (setMask) catalog.setBurnedInMask({ dataset: 'd', mask: setMask });
  const report = await catalog.import(importOptions({ source: root, dataset: 'd', burnedIn: policy }));
  const items = catalog.images({
    task: 'label',
    sort: { by: 'file', dir: 'asc' },
    offset: 0,
    limit: 10,
  }).items;
  const burned = items.find((i) => i.file === 'burned.dcm');
  const pixels = burned ? await sharp(catalog.filePath(burned.id)).extractChannel(0).raw().toBuffer() : null;
  return { catalog, report, pixels };
};

const rowsOf = (pixels: Buffer, from: number, to: number): number[] => [
  ...pixels.subarray(from * COLS, to * COLS),
];

describe('burned-in annotation (BurnedInAnnotation = YES)', () => {
  it('warns and counts by default, storing the pixels as they are', async () => {
    const { catalog, report, pixels } = await importOne('warn');
    expect(report).toMatchObject({ imported: 2, errors: [], burnedIn: { images: 1, masked: 0 } });
    expect(Math.max(...rowsOf(pixels!, 0, SECTOR_TOP))).toBe(255);
    expect(catalog.stats(report.datasetId, 'label')[0]).toMatchObject({
      burnedIn: { images: 1, masked: 0 },
      burnedInMask: null,
    });
    catalog.close();
  });

  it('mask-band blacks out the rows above the detected sector before the image is stored', async () => {
    const { catalog, report, pixels } = await importOne('mask-band');
    expect(report).toMatchObject({ imported: 2, errors: [], burnedIn: { images: 1, masked: 1 } });
    // Every pixel of the header band is zero in the stored file; the scan is untouched.
    expect(rowsOf(pixels!, 0, SECTOR_TOP).every((v) => v === 0)).toBe(true);
    expect(pixels![SECTOR_TOP * COLS + 20]).toBe(120);
    expect(pixels![(ROWS - 1) * COLS + 40]).toBe(120);
    expect(catalog.stats(report.datasetId, 'label')[0]!.burnedIn).toEqual({ images: 1, masked: 1 });
    catalog.close();
  });

  it("mask-band uses the dataset's stored rectangle when one is set", async () => {
    const { catalog, report, pixels } = await importOne('mask-band', { x: 0, y: 0, w: COLS, h: 3 });
    expect(report.burnedIn).toEqual({ images: 1, masked: 1 });
    expect(rowsOf(pixels!, 0, 3).every((v) => v === 0)).toBe(true);
    // Row 3 and 4 of the "text" are outside the rectangle: kept (the rectangle, not the band, was used).
    expect(Math.max(...rowsOf(pixels!, 3, 5))).toBe(255);
    expect(catalog.stats(report.datasetId, 'label')[0]!.burnedInMask).toEqual({ x: 0, y: 0, w: COLS, h: 3 });
    catalog.close();
  });

  it('skip refuses the file with a reason and imports the rest', async () => {
    const { catalog, report, pixels } = await importOne('skip');
    expect(pixels).toBeNull();
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.file, e.code])).toEqual([['burned.dcm', 'burned-in']]);
    catalog.close();
  });

  it('mask-band fails a frame with no text band to find instead of storing it unmasked', async () => {
    const root = tempDir('sonofuse-burned-');
    // The scan fills the frame from the top row: there is no band above it.
    writeFile(
      root,
      'full.dcm',
      writeDicom({ rows: 16, cols: 16, pixels: Buffer.alloc(256, 90), burnedIn: 'YES' }),
    );
    const { catalog } = freshCatalog();
    const report = await catalog.import(importOptions({ source: root, dataset: 'd', burnedIn: 'mask-band' }));
    expect(report.imported).toBe(0);
    expect(report.errors[0]).toMatchObject({
      code: 'burned-in',
      reason: expect.stringContaining('mask rectangle'),
    });
    catalog.close();
  });
});
