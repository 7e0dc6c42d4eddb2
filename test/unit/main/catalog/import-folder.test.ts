import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportProgress, ImportReport } from '../../../../shared/contract/catalog';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';
import { writeDicom } from './support/dicom-writer';
import { pngHeaderOnly } from './support/png-header';

/**
 * A generated folder with 6 good images (+1 copy) and one of each kind of bad file. Sub-folder =
 * class: cyst 3 good, solid 3 good, plus a top-level (unlabeled) good DICOM.
 */
const makeBrokenFolder = async (): Promise<string> => {
  const root = tempDir('sonofuse-broken-');
  const good = await Promise.all(
    [1, 2, 3, 4, 5, 6].map((i) => makeImage(40 + i, 30, i * 20, i % 2 ? 'png' : 'jpeg')),
  );
  writeFile(root, 'cyst/a.png', good[0]!);
  writeFile(root, 'cyst/b.jpg', good[1]!);
  writeFile(root, 'cyst/c.png', good[2]!);
  writeFile(root, 'solid/d.jpg', good[3]!);
  writeFile(root, 'solid/e.png', good[4]!);
  writeFile(root, 'solid/f.jpg', good[5]!);
  writeFile(root, 'solid/a-copy.png', good[0]!); // same bytes as cyst/a.png, other class
  writeFile(root, 'cyst/zero.png', Buffer.alloc(0));
  writeFile(root, 'cyst/truncated.png', good[2]!.subarray(0, Math.floor(good[2]!.length / 2)));
  const bigJpeg = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
  writeFile(root, 'solid/truncated.jpg', bigJpeg.subarray(0, Math.floor(bigJpeg.length * 0.6)));
  writeFile(root, 'solid/notes.png', 'this is text, not a picture\n');
  writeFile(root, 'solid/huge.png', pngHeaderOnly(12_000, 9_000));
  writeFile(root, 'scan.dcm', writeDicom({ rows: 8, cols: 10, pixels: Buffer.alloc(80, 100) }));
  writeFile(
    root,
    'broken.dcm',
    writeDicom({ rows: 8, cols: 10, pixels: Buffer.alloc(80, 100), truncateTo: 300 }),
  );
  writeFile(root, '.hidden.png', good[4]!);
  mkdirSync(join(root, 'solid', 'empty-folder'));
  return root;
};

describe('folder import with broken files', () => {
  let root: string;
  let first: ImportReport;
  const progress: ImportProgress[] = [];
  const fixture = freshCatalog();

  beforeAll(async () => {
    root = await makeBrokenFolder();
    fixture.catalog.onImportProgress((p) => progress.push(p));
    first = await fixture.catalog.import(importOptions({ source: root, dataset: 'broken', user: 'ana' }));
  });

  it('imports every valid file and reports each bad one with its reason', () => {
    expect(first.status).toBe('done');
    expect(first.total).toBe(14); // 14 visible files; the hidden one and the empty folder are not entries
    expect(first.imported).toBe(7); // 6 images + 1 DICOM frame
    expect(first.labels).toEqual({ cyst: 3, solid: 3 });
    expect(first.duplicates).toEqual([
      { file: 'solid/a-copy.png', duplicateOf: 'cyst/a.png', sameLabel: false },
    ]);
    const byFile = Object.fromEntries(first.errors.map((e) => [e.file, e.code]));
    expect(byFile).toEqual({
      'cyst/zero.png': 'empty',
      'cyst/truncated.png': 'corrupt',
      'solid/truncated.jpg': 'corrupt',
      'solid/notes.png': 'not-an-image',
      'solid/huge.png': 'too-large',
      'broken.dcm': 'corrupt',
    });
    expect(first.errors.find((e) => e.file === 'solid/huge.png')!.reason).toContain('12000×9000');
    expect(first.imported + first.duplicates.length + first.errors.length).toBe(first.total);
  });

  it('reports progress with counts, rate and a final event', () => {
    expect(progress[0]!.phase).toBe('scanning');
    const last = progress.at(-1)!;
    expect(last).toMatchObject({
      phase: 'done',
      done: 14,
      total: 14,
      imported: 7,
      duplicates: 1,
      errors: 6,
      etaSeconds: 0,
    });
    expect(last.ratePerSecond).toBeGreaterThan(0);
  });

  it('copies into the content-addressed store and caches 256 px WebP thumbnails', async () => {
    const page = fixture.catalog.images({
      datasetId: first.datasetId,
      task: 'label',
      sort: { by: 'file', dir: 'asc' },
      offset: 0,
      limit: 100,
    });
    expect(page.items.map((i) => i.file)).toEqual([
      'cyst/a.png',
      'cyst/b.jpg',
      'cyst/c.png',
      'scan.dcm',
      'solid/d.jpg',
      'solid/e.png',
      'solid/f.jpg',
    ]);
    const a = page.items[0]!;
    const stored = fixture.catalog.filePath(a.id);
    expect(stored).toContain(join('catalog-store', 'images', a.sha256.slice(0, 2), `${a.sha256}.png`));
    const thumb = await fixture.catalog.thumbnailPath(a.id);
    expect(thumb.endsWith('.webp')).toBe(true);
    const meta = await sharp(thumb).metadata();
    expect(meta.format).toBe('webp');
    expect([meta.width, meta.height]).toEqual([41, 30]); // never enlarged
    expect(fixture.catalog.image(a.id).referencedInPlace).toBe(false);
  });

  it('resumes: a second run adds nothing and says why', async () => {
    const second = await fixture.catalog.import(importOptions({ source: root, dataset: 'broken' }));
    expect(second).toMatchObject({ imported: 0, skipped: 7 });
    expect(second.duplicates).toHaveLength(1);
    expect(fixture.catalog.datasets()).toEqual([expect.objectContaining({ name: 'broken', images: 7 })]);
  });

  it('cancels between batches and keeps what was committed; the re-run completes', async () => {
    const big = tempDir('sonofuse-many-');
    await Promise.all(
      Array.from({ length: 80 }, async (_, i) =>
        writeFile(big, `k/${i}.png`, await makeImage(8, 8, 1000 + i)),
      ),
    );
    const { catalog } = freshCatalog();
    const controller = new AbortController();
    const unsubscribe = catalog.onImportProgress((p) => {
      if (p.phase === 'importing' && p.done >= 32) controller.abort();
    });
    const cancelled = await catalog.import(
      importOptions({ source: big, dataset: 'many', thumbnails: false }),
      controller.signal,
    );
    unsubscribe();
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.imported).toBe(32); // one batch of 32 committed before the stop was seen
    const rerun = await catalog.import(importOptions({ source: big, dataset: 'many', thumbnails: false }));
    expect(rerun).toMatchObject({ status: 'done', imported: 48, skipped: 32 });
    catalog.close();
  });

  it('references files in place when asked (no copy, thumbnail still cached)', async () => {
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: join(root, 'cyst'), dataset: 'inplace', referenceInPlace: true }),
    );
    expect(report.imported).toBe(3);
    const id = catalog.images({ task: 'label', sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 1 })
      .items[0]!.id;
    expect(catalog.filePath(id)).toBe(join(root, 'cyst', 'a.png'));
    expect(catalog.image(id).referencedInPlace).toBe(true);
    expect(existsSync(await catalog.thumbnailPath(id))).toBe(true);
    catalog.close();
  });
});
