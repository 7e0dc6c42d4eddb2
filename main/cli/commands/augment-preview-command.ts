import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPreset, PRESET_NAMES, type PresetName } from '../../../shared/augment/augment-presets';
import { writeAugmentationContactSheet } from '../../augment/augment-preview';
import { defaultCatalogPath } from '../../catalog/catalog-paths';
import { createCatalogService } from '../../catalog/catalog-service';
import { createLogger } from '../../core/logger';
import { UsageError, type CliCommand } from '../command';

/**
 * `sonofuse augment-preview`: a contact sheet of the exact augmentation the trainer draws (same
 * pipeline, same seed derivation) for the first `--images` images of a dataset, `--n` renderings
 * each (one row per image).
 */
export const augmentPreviewCommand: CliCommand = {
  name: 'augment-preview',
  summary: 'Write a PNG contact sheet of the training augmentation for images of a dataset.',
  usage: `sonofuse augment-preview --dataset NAME --out sheet.png [--db FILE] [--n 16] [--images 4] [--preset ${PRESET_NAMES.join('|')}] [--seed N] [--size PX] [--json]`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        db: { type: 'string' },
        dataset: { type: 'string' },
        out: { type: 'string' },
        n: { type: 'string', default: '16' },
        images: { type: 'string', default: '4' },
        preset: { type: 'string', default: 'ultrasound-default' },
        seed: { type: 'string', default: '1' },
        size: { type: 'string', default: '224' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.dataset || !values.out) throw new UsageError('--dataset and --out are required');
    if (!(PRESET_NAMES as readonly string[]).includes(values.preset))
      throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}`);
    const int = (name: string, v: string, min: number, max: number): number => {
      const x = Number(v);
      if (!Number.isInteger(x) || x < min || x > max)
        throw new UsageError(`--${name} must be an integer ${min}-${max}, got ${v}`);
      return x;
    };
    const n = int('n', values.n, 1, 64);
    const count = int('images', values.images, 1, 64);
    const seed = int('seed', values.seed, 0, 2 ** 31 - 1);
    const size = int('size', values.size, 32, 1024);
    const db = resolve(values.db ?? defaultCatalogPath());
    const catalog = createCatalogService({
      dbPath: db,
      logger: createLogger({ minLevel: 'warn', write: (l) => io.err(l) }),
    });
    try {
      const dataset = catalog.datasets().find((d) => d.name === values.dataset);
      if (!dataset) throw new Error(`no dataset "${values.dataset}" in ${db}`);
      const page = catalog.images({
        datasetId: dataset.id,
        task: 'label',
        sort: { by: 'id', dir: 'asc' },
        offset: 0,
        limit: count,
      });
      if (page.items.length === 0) throw new Error(`dataset "${values.dataset}" has no images`);
      const started = Date.now();
      const sheet = await writeAugmentationContactSheet({
        images: page.items.map((img) => ({ id: String(img.id), pixels: catalog.filePath(img.id) })),
        config: buildPreset(values.preset as PresetName, { outputSize: size }),
        seed,
        n,
        out: resolve(values.out),
      });
      const summary = {
        out: sheet.path,
        width: sheet.width,
        height: sheet.height,
        images: page.items.length,
        n,
        preset: values.preset,
        seed,
        seconds: (Date.now() - started) / 1000,
      };
      io.out(
        values.json
          ? JSON.stringify(summary)
          : `Wrote ${summary.out} (${summary.width}×${summary.height}: ${summary.images} images × ${n} draws, preset ${summary.preset}, seed ${seed})`,
      );
      return 0;
    } finally {
      catalog.close();
    }
  },
};
