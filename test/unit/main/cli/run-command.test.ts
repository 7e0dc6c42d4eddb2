import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportOptions } from '../../../../shared/contract/catalog';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { runCommand } from '../../../../main/cli/commands/run-command';
import { exportModelCommand, predictCommand } from '../../../../main/cli/commands/predict-command';
import { createLogger } from '../../../../main/core/logger';
import { captureIo } from '../../../support/capture-io';
import { writeTinyRunFixture } from '../../../support/tiny-run-fixture';

let dir: string;
let db: string;
let backbone: string;

/** A folder import (sub-folder = class) of 40 generated images: bright disc left or right. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sonofuse-run-cli-'));
  backbone = (await writeTinyRunFixture(join(dir, 'fixture'))).backbone;
  for (let i = 0; i < 40; i++) {
    const label = i % 2 === 0 ? 'left' : 'right';
    const px = Buffer.alloc(48 * 48, 15);
    const cx = label === 'left' ? 12 : 36;
    for (let y = 0; y < 48; y++)
      for (let x = 0; x < 48; x++)
        if ((x - cx) ** 2 + (y - 16 - (i % 7) * 2) ** 2 < 60) px[y * 48 + x] = 180 + i;
    mkdirSync(join(dir, 'images', label), { recursive: true });
    await sharp(px, { raw: { width: 48, height: 48, channels: 1 } })
      .png()
      .toFile(join(dir, 'images', label, `${i}.png`));
  }
  db = join(dir, 'catalog.db');
  const catalog = createCatalogService({ dbPath: db, logger: createLogger({ minLevel: 'error' }) });
  await catalog.import(
    ImportOptions.parse({ source: join(dir, 'images'), dataset: 'discs', thumbnails: false }),
  );
  catalog.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sonofuse run', () => {
  it('runs every method in a trainer process and prints the issue-9 JSON object', async () => {
    const io = captureIo();
    const code = await runCommand.run(
      [
        '--db',
        db,
        '--dataset',
        'discs',
        '--backbone',
        backbone,
        '--image-size',
        '64',
        '--batch-size',
        '4',
        '--epochs1',
        '2',
        '--epochs2',
        '1',
        '--head-epochs',
        '4',
        '--optimizer',
        'adam',
        '--lr1',
        '0.01',
        '--text-encoder',
        'none',
        '--replicas',
        '2',
        '--json',
      ],
      io,
    );
    expect(io.stderr.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const out = JSON.parse(io.stdout[0]!);
    expect(out.run_id).toBe(1);
    expect(out.status).toBe('succeeded');
    expect(out.backend).toMatch(/^wasm \(2 wasm replica threads\)$/);
    const total = (part: string) =>
      Object.values(out.split.counts[part] as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total('train') + total('validation') + total('test')).toBe(40);
    expect(Object.keys(out.methods).sort()).toEqual(['linear_probe', 'proposed', 'stage1_image']);
    for (const m of Object.values(out.methods) as Array<{ test: Record<string, number> }>) {
      expect(Object.keys(m.test).sort()).toEqual(['accuracy', 'balanced_accuracy', 'macro_f1']);
      expect(m.test.accuracy).toBeGreaterThanOrEqual(0);
      expect(m.test.accuracy).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(out.skipped).sort()).toEqual(['metadata_only', 'note_only', 'traditional_multimodal']);
    for (const key of [
      'decode',
      'pretrained_features',
      'fit_linear_probe',
      'stage1_train',
      'stage2_fresh_features',
      'total',
    ])
      expect(out.timing[key]).toBeGreaterThan(0);

    // The run's model predicts new images offline, directly or after export.
    const modelDir = join(dir, 'exported');
    expect(await exportModelCommand.run(['--db', db, '--run', '1', '--out', modelDir], captureIo())).toBe(0);
    const pio = captureIo();
    const image = join(dir, 'images', 'left', '0.png');
    expect(await predictCommand.run(['--model', modelDir, image, '--json'], pio)).toBe(0);
    const predicted = JSON.parse(pio.stdout[0]!);
    expect(predicted.classes).toEqual(['left', 'right']);
    const p = predicted.predictions[0];
    expect(p.file).toBe(image);
    expect(p.image.probs.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
    expect(p.fused.probs.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
    const byRun = captureIo();
    expect(await predictCommand.run(['--db', db, '--run', '1', image, '--json'], byRun)).toBe(0);
    expect(JSON.parse(byRun.stdout[0]!).predictions[0].image.probs).toEqual(p.image.probs);
  }, 180_000);

  it('refuses bad usage with exit code 2 and an unknown dataset with a typed error', async () => {
    await expect(runCommand.run(['--db', db], captureIo())).rejects.toThrow(/--dataset is required/);
    await expect(
      runCommand.run(['--db', db, '--dataset', 'discs', '--methods', 'magic'], captureIo()),
    ).rejects.toThrow(/unknown method/);
    const io = captureIo();
    expect(await runCommand.run(['--db', db, '--dataset', 'nope', '--json'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/NOT_FOUND: no dataset named "nope"/);
    const missing = captureIo();
    expect(await predictCommand.run(['--db', db, '--run', '99', 'x.png'], missing)).toBe(1);
    expect(missing.stderr.join('')).toMatch(/NOT_FOUND: no run 99/);
  });
});
