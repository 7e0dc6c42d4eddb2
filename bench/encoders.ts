/**
 * Encoder figures: image backbone load time, MobileNetV2 feature inference (224 px) on wasm and cpu,
 * and USE lite embeddings/s on real clinical notes from ../shared/datasets/covid-notes.
 * Run: `npx tsx bench/encoders.ts [--json] [--images N] [--notes N]`. Prints figures; never fails on a time.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createImageBackbone } from '../main/engine/encoders/image-backbone';
import { createTextEncoder } from '../main/engine/encoders/text-encoder';

const args = process.argv.slice(2);
const json = args.includes('--json');
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const log = (...xs: unknown[]) => {
  if (!json) console.log(...xs);
};
const seconds = (t0: number) => (performance.now() - t0) / 1000;
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
setWasmPaths(join(wasmDir, 'dist') + '/');

const manifestPath = resolve(
  process.env.SONOFUSE_DATASETS ?? '../shared/datasets',
  'covid-notes',
  'manifest.csv',
);

const imageBench = async (backend: 'wasm' | 'cpu', images: number) => {
  await tf.setBackend(backend);
  await tf.ready();
  let t0 = performance.now();
  const backbone = await createImageBackbone({ source: 'nsfwjs-mobilenetv2', inputSize: 224 });
  const loadS = seconds(t0);
  const batch = tf.tidy(() =>
    backbone.normalise(tf.randomUniform([images, 224, 224, 3], 0, 255, 'float32', 1)),
  );
  const warm = tf.tidy(() => backbone.model.predict(batch.slice(0, 1)) as tf.Tensor); // first call compiles/allocates
  await warm.data();
  warm.dispose();
  t0 = performance.now();
  for (let i = 0; i < images; i++) {
    const out = tf.tidy(() => backbone.model.predict(batch.slice(i, 1)) as tf.Tensor);
    await out.data();
    out.dispose();
    sampleRss();
  }
  const inferImgS = images / seconds(t0);
  batch.dispose();
  backbone.dispose();
  return { backend, size: 224, load_s: loadS, infer_img_s: inferImgS, images };
};

const readNotes = (n: number): string[] => {
  if (!existsSync(manifestPath)) return [];
  const rows = parse(readFileSync(manifestPath, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<
    Record<string, string>
  >;
  return rows
    .map((r) => r.note ?? '')
    .filter((t) => t.trim().length > 0)
    .slice(0, n);
};

const textBench = async (backend: 'wasm' | 'cpu', notes: string[]) => {
  await tf.setBackend(backend);
  await tf.ready();
  let t0 = performance.now();
  const enc = await createTextEncoder({ kind: 'use-lite', batchSize: 16 });
  const loadS = seconds(t0);
  const warm = await enc.embed(notes.slice(0, 1));
  warm.dispose();
  t0 = performance.now();
  const e = await enc.embed(notes);
  await e.data();
  const embS = notes.length / seconds(t0);
  sampleRss();
  e.dispose();
  const tokens = notes.map((t) => enc.tokenize?.(t).length ?? 0);
  enc.dispose();
  return {
    backend,
    load_s: loadS,
    notes: notes.length,
    mean_tokens: tokens.reduce((a, b) => a + b, 0) / Math.max(1, tokens.length),
    max_tokens: Math.max(0, ...tokens),
    embeddings_s: embS,
  };
};

const main = async () => {
  const images = opt('--images', 4);
  const notes = readNotes(opt('--notes', 48));
  const image = [await imageBench('wasm', images), await imageBench('cpu', Math.min(2, images))];
  for (const r of image) {
    log(
      `backbone ${r.backend}: load ${r.load_s.toFixed(2)} s, inference ${r.infer_img_s.toFixed(2)} img/s at 224 (batch 1, ${r.images} images)`,
    );
  }
  const text: Array<Awaited<ReturnType<typeof textBench>>> = [];
  if (notes.length === 0) log(`USE lite: no notes found at ${manifestPath} (set SONOFUSE_DATASETS)`);
  else {
    text.push(await textBench('wasm', notes), await textBench('cpu', notes.slice(0, 8)));
    for (const r of text) {
      log(
        `USE lite ${r.backend}: load ${r.load_s.toFixed(2)} s, ${r.embeddings_s.toFixed(2)} notes/s ` +
          `(${r.notes} covid-notes notes, mean ${r.mean_tokens.toFixed(0)} tokens, max ${r.max_tokens}, batch 16)`,
      );
    }
  }
  sampleRss();
  log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`);
  if (json) console.log(JSON.stringify({ image, text, peak_rss_mb: Math.round(peakRss / 2 ** 20) }));
};

await main();
