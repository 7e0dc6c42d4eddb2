import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { resolveMedia } from '../../../../main/host/media-route';
import { ImageQuery } from '../../../../shared/contract/catalog';
import { freshCatalog, importOptions, tempDir, writeFile } from './support/catalog-fixtures';
import {
  gifWithPhi,
  jpegWithPhi,
  leaksPhi,
  pixels,
  pngWithPhi,
  webpWithPhi,
} from './support/image-metadata-fixtures';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const mode = (path: string): number => statSync(path).mode & 0o777;

/** A folder of one class with a JPEG, PNG, WebP and GIF that each carry a name and an MRN. */
const phiFolder = async () => {
  const root = tempDir('sonofuse-phi-');
  const files = {
    'k/a.jpg': await jpegWithPhi(),
    'k/b.png': await pngWithPhi(),
    'k/c.webp': await webpWithPhi(),
    'k/d.gif': await gifWithPhi(),
  };
  for (const [name, bytes] of Object.entries(files)) writeFile(root, name, bytes);
  return { root, files };
};

const allFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));

let previousUmask = 0;
beforeEach(() => {
  previousUmask = process.umask(0o022); // an ordinary user's umask: what the store must not rely on
});
afterEach(() => {
  process.umask(previousUmask);
});

describe('stored images carry no embedded metadata', () => {
  it('stores and serves JPEG/PNG/WebP/GIF without EXIF, XMP, ICC, comments or text chunks, same pixels', async () => {
    const { root, files } = await phiFolder();
    const { catalog, dir } = freshCatalog();
    const report = await catalog.import(importOptions({ source: root, dataset: 'phi' }));
    expect(report.imported).toBe(4);
    expect(report.notices).toEqual([
      'Embedded metadata (COM, EXIF, ICC, XMP, application extension, comment, data after EOI, eXIf, iTXt, ' +
        'tEXt, tIME, zTXt) was left out of the stored copies of 4 file(s); the original files are unchanged. ' +
        'Import with "keep original bytes" to store it.',
    ]);
    const page = catalog.images(ImageQuery.parse({ datasetId: report.datasetId, limit: 10 }));
    for (const item of page.items) {
      const detail = catalog.image(item.id);
      const original = files[detail.file as keyof typeof files];
      const stored = readFileSync(catalog.filePath(item.id));
      expect(leaksPhi(stored), detail.file).toBe(false);
      expect(await catalog.viewPath(item.id)).toBe(catalog.filePath(item.id));
      expect((await pixels(stored)).equals(await pixels(original)), detail.file).toBe(true);
      // The catalog's hash is the source file's (duplicates, resume); the copy is named by its own.
      expect(detail.sha256).toBe(sha(original));
      expect(basename(catalog.filePath(item.id)).split('.')[0]).toBe(sha(stored));
      expect(leaksPhi(readFileSync(await catalog.thumbnailPath(item.id))), 'thumbnail').toBe(false);
    }
    // Re-importing the same files finds them by the source hash: nothing new.
    const again = await catalog.import(importOptions({ source: root, dataset: 'phi' }));
    expect([again.imported, again.skipped]).toEqual([0, 4]);
    // Everything in the store is owner-only.
    const store = join(dir, 'catalog-store');
    expect(mode(store)).toBe(0o700);
    for (const file of allFiles(store)) {
      expect(mode(file), file).toBe(0o600);
      expect(mode(join(file, '..')), file).toBe(0o700);
    }
    catalog.close();
  });

  it("makes an older world-readable catalog's store owner-only when the catalog opens", async () => {
    const { root } = await phiFolder();
    const { catalog, dir, dbPath } = freshCatalog();
    await catalog.import(importOptions({ source: root, dataset: 'old' }));
    catalog.close();
    const store = join(dir, 'catalog-store');
    const loosen = (path: string): void => {
      chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
      if (statSync(path).isDirectory()) for (const name of readdirSync(path)) loosen(join(path, name));
    };
    loosen(store);
    chmodSync(dbPath, 0o644);
    expect(allFiles(store).every((f) => mode(f) === 0o644)).toBe(true);
    const reopened = createCatalogService({ dbPath });
    expect(reopened.datasets().map((d) => d.name)).toEqual(['old']);
    expect(allFiles(store).length).toBeGreaterThan(4);
    for (const file of allFiles(store)) expect([mode(file), mode(join(file, '..'))]).toEqual([0o600, 0o700]);
    expect(mode(store)).toBe(0o700);
    reopened.close();
  });

  it('keeps the original bytes only with keepOriginalBytes', async () => {
    const { root, files } = await phiFolder();
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: root, dataset: 'kept', keepOriginalBytes: true, thumbnails: false }),
    );
    expect(report.notices).toEqual([]);
    for (const item of catalog.images(ImageQuery.parse({ datasetId: report.datasetId, limit: 10 })).items) {
      const detail = catalog.image(item.id);
      const stored = readFileSync(catalog.filePath(item.id));
      expect(stored.equals(files[detail.file as keyof typeof files]), detail.file).toBe(true);
    }
    catalog.close();
  });

  it('shows an in-place original through a stripped copy, and refuses one replaced by a symlink or edited', async () => {
    const { root, files } = await phiFolder();
    const { catalog, dir } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: root, dataset: 'inplace', referenceInPlace: true, thumbnails: false }),
    );
    const items = catalog.images(ImageQuery.parse({ datasetId: report.datasetId, limit: 10 })).items;
    const byFile = new Map(items.map((i) => [catalog.image(i.id).file, i.id]));
    const jpegId = byFile.get('k/a.jpg')!;
    expect(catalog.filePath(jpegId)).toBe(join(root, 'k/a.jpg')); // training still reads in place
    const shown = await catalog.viewPath(jpegId);
    expect(shown.startsWith(join(dir, 'catalog-store', 'view'))).toBe(true);
    expect(leaksPhi(readFileSync(shown))).toBe(false);
    expect((await pixels(readFileSync(shown))).equals(await pixels(files['k/a.jpg']))).toBe(true);
    expect(mode(shown)).toBe(0o600);
    // The browser host's and Electron's media route serve that copy.
    const media = await resolveMedia(catalog, `/media/image/${jpegId}`);
    expect(media).toMatchObject({ ok: true, path: shown, type: 'image/jpeg' });

    const pngId = byFile.get('k/b.png')!;
    rmSync(join(root, 'k/b.png'));
    symlinkSync(join(root, 'k/a.jpg'), join(root, 'k/b.png'));
    await expect(catalog.viewPath(pngId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const webpId = byFile.get('k/c.webp')!;
    writeFileSync(join(root, 'k/c.webp'), Buffer.concat([files['k/c.webp'], Buffer.from('x')]));
    await expect(catalog.viewPath(webpId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('changed on disk'),
    });
    expect(await resolveMedia(catalog, `/media/image/${webpId}`)).toMatchObject({ ok: false, status: 404 });
    // Thumbnails are made from the same checked bytes (this import made none).
    await expect(catalog.thumbnailPath(pngId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const thumb = await catalog.thumbnailPath(byFile.get('k/d.gif')!);
    expect(leaksPhi(readFileSync(thumb))).toBe(false);
    catalog.close();
  });
});
