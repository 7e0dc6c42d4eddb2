/**
 * Augmentation throughput and live-preview latency on real ultrasound images (BUSI, read in place).
 * Usage: npx tsx bench/augment.ts [--json] [--batch 32] [--size 224] [--iters 5] [--backends wasm,cpu]
 *        [--images ../shared/datasets/busi/images] [--train-rate 10.9] [--sheet out.png]
 * Prints images/s per backend and preset (batch of `--batch` at `--size` px, parameters drawn in JS
 * plus tensor ops, excluding decoding), and the latency of 16 previews at `--size` px including
 * preparing, sector detection and PNG encoding (target < 300 ms). `--train-rate` is the training
 * rate (img/s) augmentation must outpace 10× (default: PyTorch CPU MobileNetV2 from
 * platform-facts.md, the rate our trainer aims for). Never fails on a time.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { buildPreset, type PresetName } from '../shared/augment/augment-presets';
import { renderAugmentationPreview, writeContactSheet } from '../main/augment/augment-preview';
import { createAugmenter, type AugmentEngine } from '../main/augment/create-augmenter';
import { createRandom, mixSeed } from '../shared/random/seeded-random';
import { detectSector, type RawImage, type SectorInfo } from '../main/augment/sector-detect';
import { prepareSourceImage, stackImages } from '../main/augment/source-image';
import { phantomClasses } from '../main/demo/phantom-anatomy';
import { renderPhantomImage } from '../main/demo/phantom-image';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const json = process.argv.includes('--json');
const batch = Number(arg('batch', '32'));
const size = Number(arg('size', '224'));
const iters = Number(arg('iters', '5'));
const backends = arg('backends', 'wasm,cpu').split(',') as Array<'wasm' | 'cpu'>;
const imagesDir = resolve(arg('images', join(import.meta.dirname, '../../shared/datasets/busi/images')));
const trainRate = Number(arg('train-rate', '10.9'));
const sheet = arg('sheet', '');
const log = (text: string) => {
  if (!json) console.log(text);
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Real images, spread over the classes (first files of each class folder, in name order).
const classes = readdirSync(imagesDir).sort();
const files: string[] = [];
for (let i = 0; files.length < batch; i++) {
  for (const c of classes) {
    const names = readdirSync(join(imagesDir, c)).sort();
    if (i < names.length && files.length < batch) files.push(join(imagesDir, c, names[i]));
  }
}
const source = buildPreset('paper', { outputSize: size }).source;
const prepared: RawImage[] = await Promise.all(files.map((f) => prepareSourceImage(f, source)));
const t0 = performance.now();
const sectors: SectorInfo[] = prepared.map((p) => detectSector(p));
const sectorMs = (performance.now() - t0) / prepared.length;
log(
  `${prepared.length} BUSI images prepared to ${source.size}px grey; sector detection ${sectorMs.toFixed(2)} ms/image`,
);

const results: Record<string, unknown> = {
  batch,
  size,
  iters,
  trainRate,
  sectorMsPerImage: sectorMs,
  throughput: [],
  preview: [],
};

for (const backend of backends) {
  await tf.setBackend(backend);
  await tf.ready();
  const x = stackImages(prepared);
  // auto = fused JS loops on CPU backends; tfjs = stock kernels of the backend (for comparison).
  const engines: AugmentEngine[] = backend === 'wasm' ? ['auto', 'tfjs'] : ['auto'];
  for (const engine of engines)
    for (const preset of ['paper', 'ultrasound-default'] as PresetName[]) {
      const aug = createAugmenter(buildPreset(preset, { outputSize: size }), { engine });
      tf.dispose(aug.augment(x, { seed: 0, sectors }).images); // warm-up
      const n = backend === 'cpu' || engine === 'tfjs' ? Math.min(iters, 2) : iters;
      let planMs = 0;
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        const p0 = performance.now();
        aug.plan(batch, source.size, source.size, mixSeed(1, 0, i), sectors);
        planMs += performance.now() - p0;
        const out = aug.augment(x, { seed: mixSeed(1, 0, i), sectors });
        await out.images.data(); // include the read-back a trainer's first layer would force
        out.images.dispose();
      }
      const seconds = (performance.now() - start - planMs) / 1000; // planning is inside augment too
      const rate = (batch * n) / seconds;
      (results.throughput as unknown[]).push({
        backend,
        engine,
        preset,
        imagesPerSecond: rate,
        planMsPerBatch: planMs / n,
      });
      log(
        `${backend.padEnd(5)} ${engine.padEnd(5)} ${preset.padEnd(19)} ${rate.toFixed(1).padStart(7)} img/s  ` +
          `(batch ${batch} at ${size}px, ${n} batches; JS draws ${(planMs / n).toFixed(1)} ms/batch; ` +
          `${(rate / trainRate).toFixed(1)}× a ${trainRate} img/s trainer)`,
      );
    }
  x.dispose();

  for (const [label, count, n] of [
    ['1 image × 16', 1, 16],
    ['4 images × 4', 4, 4],
  ] as const) {
    const images = files.slice(0, count).map((f, i) => ({ id: String(i), pixels: f }));
    const config = buildPreset('ultrasound-default', { outputSize: size });
    await renderAugmentationPreview({ images, config, seed: 1, n }); // warm-up
    const times: number[] = [];
    for (let r = 0; r < (backend === 'cpu' ? 2 : 5); r++) {
      const s = performance.now();
      await renderAugmentationPreview({ images, config, seed: r, n });
      times.push(performance.now() - s);
    }
    (results.preview as unknown[]).push({
      backend,
      layout: label,
      medianMs: median(times),
      runs: times.length,
    });
    log(
      `${backend.padEnd(5)} preview ${label}: ${median(times).toFixed(0)} ms median of ${times.length} (16 PNGs at ${size}px, from file)`,
    );
  }
}

if (sheet) {
  const images = files.slice(0, 4).map((f, i) => ({ id: String(i), pixels: f }));
  const tiles = await renderAugmentationPreview({
    images,
    config: buildPreset('ultrasound-default', { outputSize: size }),
    seed: 1,
    n: 6,
  });
  const written = await writeContactSheet(resolve(sheet), tiles, { columns: 6 });
  log(`contact sheet ${written.path} (${written.width}×${written.height})`);
}
// Kept sector share of the ultrasound-default crop (issue 16): the share of each image's detected
// (and rotated) sector area the resized crop keeps, over 4 draws of every image; on BUSI (mostly
// rectangular scans) and on synthetic phantom fans (curvilinear sectors like fetal scans).
const phantoms: RawImage[] = Array.from({ length: 32 }, (_, i) => {
  const side = source.size;
  const data = renderPhantomImage(
    {
      size: side,
      label: phantomClasses[i % phantomClasses.length]!,
      pose: { cx: side / 2, cy: side * 0.55, scale: side / 256, angle: 0 },
      gain: 1,
      halfAngle: 0.5 + (i % 4) * 0.07,
    },
    createRandom(i + 1),
  );
  return { data, width: side, height: side, channels: 1 };
});
const shareRows: Array<Record<string, unknown>> = [];
for (const [setName, images] of [
  ['BUSI', prepared],
  ['phantom fans', phantoms],
] as const) {
  const detected = images.map((p) => detectSector(p));
  const aug = createAugmenter(buildPreset('ultrasound-default', { outputSize: size }));
  const shares: number[] = [];
  for (let draw = 0; draw < 4; draw++)
    for (const p of aug.plan(images.length, source.size, source.size, mixSeed(1, draw, 0), detected).params) {
      const v = p.steps.find((s) => s.kind === 'resized-crop')?.values.sectorShare;
      if (typeof v === 'number') shares.push(v);
    }
  shares.sort((a, b) => a - b);
  const q = (f: number) => shares[Math.floor(f * (shares.length - 1))] ?? Number.NaN;
  const row = { set: setName, draws: shares.length, min: q(0), p10: q(0.1), median: q(0.5), p90: q(0.9) };
  shareRows.push(row);
  log(
    `ultrasound-default crop keeps of the sector (${setName}, ${row.draws} draws): min ${row.min.toFixed(2)}, ` +
      `10th pct ${row.p10.toFixed(2)}, median ${row.median.toFixed(2)}, 90th pct ${row.p90.toFixed(2)} (bound: ≥ 0.60)`,
  );
}
results.keptSectorShare = shareRows;

if (json) console.log(JSON.stringify(results, null, 2));
