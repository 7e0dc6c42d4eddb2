import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { freshCatalog, importOptions, tempDir, writeFile } from './support/catalog-fixtures';
import { writeDicom } from './support/dicom-writer';

const gradient = (rows: number, cols: number, frames: number, channels = 1): Buffer => {
  const out = Buffer.alloc(rows * cols * channels * frames);
  for (let f = 0; f < frames; f++)
    for (let i = 0; i < rows * cols * channels; i++) out[f * rows * cols * channels + i] = (i + f * 40) % 256;
  return out;
};

const jpegFrame = (value: number): Promise<Buffer> =>
  sharp({ create: { width: 16, height: 12, channels: 3, background: { r: value, g: 255 - value, b: 60 } } })
    .jpeg({ quality: 95, mozjpeg: false, progressive: false })
    .toBuffer();

/** Every metadata value and note of a catalog, to look for identifying text. */
const allText = (catalog: ReturnType<typeof freshCatalog>['catalog']): string => {
  const ids = catalog
    .images({ task: 'label', sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 500 })
    .items.map((i) => i.id);
  return JSON.stringify(ids.map((id) => catalog.image(id)));
};

describe('DICOM import', () => {
  it('decodes uncompressed mono and 16-bit files and keeps patient identifiers out', async () => {
    const root = tempDir('sonofuse-dcm-');
    writeFile(
      root,
      'heart/mono.dcm',
      writeDicom({
        rows: 6,
        cols: 8,
        pixels: gradient(6, 8, 1),
        patientName: 'DOE^JANE',
        patientId: 'MRN-778899',
        institution: 'St Example',
      }),
    );
    const words = Buffer.alloc(6 * 8 * 2);
    for (let i = 0; i < 48; i++) words.writeUInt16LE(i * 1000, i * 2);
    writeFile(
      root,
      'heart/deep.dcm',
      writeDicom({
        rows: 6,
        cols: 8,
        bitsAllocated: 16,
        pixels: words,
        patientId: 'MRN-778899',
        studyUid: '1.2.9',
      }),
    );
    const { catalog } = freshCatalog();
    const report = await catalog.import(importOptions({ source: root, dataset: 'dcm' }));
    expect(report).toMatchObject({ imported: 2, errors: [] });
    const page = catalog.images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 });
    expect(page.items.map((i) => [i.file, i.width, i.height, i.sourceFormat, i.format, i.labels])).toEqual([
      ['heart/deep.dcm', 8, 6, 'dicom', 'png', ['heart']],
      ['heart/mono.dcm', 8, 6, 'dicom', 'png', ['heart']],
    ]);
    // The same patient id becomes the same keyed pseudonym, never the id itself.
    // 128-bit pseudonyms (32 hex digits; older catalogs had 12, 48 bits).
    expect(page.items[0]!.patient).toMatch(/^P-[0-9a-f]{32}$/);
    expect(page.items[0]!.patient).toBe(page.items[1]!.patient);
    const text = allText(catalog);
    for (const secret of ['DOE', 'JANE', 'MRN-778899', 'St Example', '19900101', '1990-01-01'])
      expect(text).not.toContain(secret);
    const detail = catalog.image(page.items[1]!.id);
    expect(detail.metadata).toEqual(
      expect.arrayContaining([
        { key: 'dicom_modality', type: 'category', value: 'US' },
        { key: 'dicom_frames', type: 'number', value: 1 },
      ]),
    );
    // 16-bit words 0..47000 are windowed to 0..255 by min/max: the first pixel is black, the last white.
    const deep = await sharp(catalog.filePath(page.items[0]!.id)).extractChannel(0).raw().toBuffer();
    expect([deep[0], deep[47]]).toEqual([0, 255]);
    catalog.close();
  });

  it('copies identifying tags only when asked, and can skip pseudonyms', async () => {
    const root = tempDir('sonofuse-dcm-');
    writeFile(
      root,
      'a.dcm',
      writeDicom({
        rows: 4,
        cols: 4,
        pixels: gradient(4, 4, 1),
        patientName: 'ROE^RICHARD',
        patientId: 'ID42',
      }),
    );
    const { catalog } = freshCatalog();
    await catalog.import(importOptions({ source: root, dataset: 'd', includeIdentifying: true }));
    const detail = catalog.image(1);
    expect(detail.patient).toBe('ID42');
    expect(detail.metadata).toEqual(
      expect.arrayContaining([
        { key: 'dicom_patient_name', type: 'category', value: 'ROE^RICHARD' },
        { key: 'dicom_patient_birth_date', type: 'date', value: '1990-01-01' },
      ]),
    );
    catalog.close();
  });

  it('imports chosen frames of an RGB cine and keeps them in one source group', async () => {
    const root = tempDir('sonofuse-cine-');
    writeFile(
      root,
      'cine.dcm',
      writeDicom({ rows: 5, cols: 7, frames: 6, samplesPerPixel: 3, pixels: gradient(5, 7, 6, 3) }),
    );
    const { catalog } = freshCatalog();
    const report = await catalog.import(importOptions({ source: root, dataset: 'c', frames: { every: 2 } }));
    expect(report.imported).toBe(3);
    const items = catalog.images({
      task: 'label',
      sort: { by: 'id', dir: 'asc' },
      offset: 0,
      limit: 10,
    }).items;
    expect(items.map((i) => i.frame)).toEqual([0, 2, 4]);
    const sources = new Set(items.map((i) => catalog.image(i.id).source));
    expect(sources.size).toBe(1);
    const second = await sharp(catalog.filePath(items[1]!.id)).raw().toBuffer();
    // Frame 2 starts at value (0 + 2 * 40) % 256 = 80 in the generator above.
    expect(second[0]).toBe(80);
    const again = await catalog.import(importOptions({ source: root, dataset: 'c', frames: { every: 2 } }));
    expect(again).toMatchObject({ imported: 0, skipped: 1 });
    catalog.close();
  });

  it('decodes JPEG-baseline pixel data, single and multi-frame', async () => {
    const root = tempDir('sonofuse-jpeg-');
    const frames = await Promise.all([30, 120, 220].map(jpegFrame));
    writeFile(
      root,
      'one.dcm',
      writeDicom({
        rows: 12,
        cols: 16,
        samplesPerPixel: 3,
        photometric: 'YBR_FULL_422',
        jpegFrames: [frames[0]!],
      }),
    );
    writeFile(
      root,
      'three.dcm',
      writeDicom({
        rows: 12,
        cols: 16,
        frames: 3,
        samplesPerPixel: 3,
        photometric: 'YBR_FULL_422',
        jpegFrames: frames,
        seriesUid: '9.9.9',
      }),
    );
    const { catalog } = freshCatalog();
    const report = await catalog.import(importOptions({ source: root, dataset: 'j', frames: 'middle' }));
    expect(report).toMatchObject({ imported: 2, errors: [] });
    const items = catalog.images({
      task: 'label',
      sort: { by: 'file', dir: 'asc' },
      offset: 0,
      limit: 10,
    }).items;
    expect(items.map((i) => [i.file, i.frame, i.width, i.height])).toEqual([
      ['one.dcm', 0, 16, 12],
      ['three.dcm', 1, 16, 12],
    ]);
    const middle = await sharp(readFileSync(catalog.filePath(items[1]!.id)))
      .raw()
      .toBuffer();
    // The middle frame was made with red = 120; JPEG round trip keeps it within a few levels.
    expect(Math.abs(middle[0]! - 120)).toBeLessThan(6);
    catalog.close();
  });

  it('reports unsupported transfer syntaxes and missing pixel data', async () => {
    const root = tempDir('sonofuse-dcmbad-');
    writeFile(
      root,
      'j2k.dcm',
      writeDicom({ rows: 4, cols: 4, pixels: gradient(4, 4, 1), transferSyntax: '1.2.840.10008.1.2.4.90' }),
    );
    writeFile(root, 'short.dcm', writeDicom({ rows: 40, cols: 40, pixels: gradient(4, 4, 1) }));
    const { catalog } = freshCatalog();
    const report = await catalog.import(importOptions({ source: root, dataset: 'bad' }));
    expect(report.imported).toBe(0);
    expect(report.errors.map((e) => [e.file, e.code])).toEqual([
      ['j2k.dcm', 'unsupported'],
      ['short.dcm', 'corrupt'],
    ]);
    expect(report.errors[0]!.reason).toContain('1.2.840.10008.1.2.4.90');
    catalog.close();
  });
});
