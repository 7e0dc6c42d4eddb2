/**
 * Manifest import under a hostile row: a manifest whose one line holds a note of `--mb` MB (default
 * 200, the case) between small valid rows, imported through the catalog service. Prints the
 * peak RSS growth (sampled on every progress event and at the end, plus the process's maxRSS), the
 * time, and what the report says about the big row. Run: `npx tsx bench/manifest-hostile.ts
 * [--mb N] [--rows N] [--json]`. Prints figures; never fails.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ImportOptions } from '../shared/contract/catalog';
import { createCatalogService } from '../main/catalog/catalog-service';
import { createLogger } from '../main/core/logger';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const mb = opt('--mb', 200);
const rows = opt('--rows', 20);
const work = mkdtempSync(join(tmpdir(), 'sonofuse-bench-hostile-'));
const MiB = 1024 ** 2;

const main = async (): Promise<void> => {
  const path = join(work, 'manifest.csv');
  const fd = openSync(path, 'w');
  writeSync(fd, 'file,label,note\n');
  for (let i = 0; i < rows; i++) {
    const png = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: i, g: 9, b: 80 } },
    })
      .png()
      .toBuffer();
    const image = openSync(join(work, `${i}.png`), 'w');
    writeSync(image, png);
    closeSync(image);
    writeSync(fd, `${i}.png,${i % 2 ? 'a' : 'b'},row ${i}\n`);
    if (i === Math.floor(rows / 2)) {
      writeSync(fd, 'big.png,a,');
      const block = Buffer.alloc(MiB, 'n');
      for (let k = 0; k < mb; k++) writeSync(fd, block);
      writeSync(fd, '\n');
    }
  }
  closeSync(fd);
  const catalog = createCatalogService({
    dbPath: join(work, 'bench.db'),
    logger: createLogger({ minLevel: 'error' }),
    progressIntervalMs: 0,
  });
  const before = process.memoryUsage().rss;
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let peak = before;
  catalog.onImportProgress(() => (peak = Math.max(peak, process.memoryUsage().rss)));
  const t0 = performance.now();
  const report = await catalog.import(
    ImportOptions.parse({ source: path, dataset: 'hostile', thumbnails: false }),
  );
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  const maxAfter = process.resourceUsage().maxRSS * 1024;
  catalog.close();
  const result = {
    lineMB: mb,
    rows,
    imported: report.imported,
    errors: report.errors.map((e) => `line ${e.line} ${e.code}: ${e.reason}`),
    seconds: Number(seconds.toFixed(2)),
    rssGrowthMB: Math.round((peak - before) / MiB),
    maxRssGrowthMB: Math.round((maxAfter - maxBefore) / MiB),
    maxRssMB: Math.round(maxAfter / MiB),
  };
  if (args.includes('--json')) console.log(JSON.stringify(result));
  else
    for (const [k, v] of Object.entries(result)) console.log(`${k}: ${Array.isArray(v) ? v.join(' | ') : v}`);
};

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
