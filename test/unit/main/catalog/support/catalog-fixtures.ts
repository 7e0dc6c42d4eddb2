import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { ImportOptions, type ImportOptionsInput } from '../../../../../shared/contract/catalog';
import { createCatalogService } from '../../../../../main/catalog/catalog-service';
import { createLogger } from '../../../../../main/core/logger';

/** The shared real datasets, read in place (never copied into the repository). */
export const DATASETS = join(process.cwd(), '..', 'shared', 'datasets');

export const tempDir = (prefix = 'sonofuse-catalog-'): string => mkdtempSync(join(tmpdir(), prefix));

/** A catalog service on a fresh temporary database, with a logger the test can read. */
export const freshCatalog = (dir = tempDir()) => {
  const logger = createLogger({ minLevel: 'debug', capacity: 5000 });
  const catalog = createCatalogService({ dbPath: join(dir, 'catalog.db'), logger, progressIntervalMs: 0 });
  return { catalog, logger, dir, dbPath: join(dir, 'catalog.db') };
};

export const importOptions = (input: ImportOptionsInput): ImportOptions => ImportOptions.parse(input);

/** A small solid-colour test image; the colour makes each file's content (and hash) distinct. */
export const makeImage = (
  width: number,
  height: number,
  seed: number,
  format: 'png' | 'jpeg' = 'png',
): Promise<Buffer> => {
  const image = sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: seed % 256, g: (seed * 7) % 256, b: (seed * 13) % 256 },
    },
  });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
};

export const writeFile = (root: string, relative: string, bytes: Buffer | string): string => {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
};
