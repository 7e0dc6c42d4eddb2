import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { AppError } from '../../shared/contract/result';
import { createAugmenter } from '../augment/create-augmenter';
import { metadataEncoderFromState, type MetadataRow } from '../engine/encoders/metadata-encoder';
import { memoryHandler, readModelFolder } from '../engine/encoders/tfjs-artifacts';
import { createTextEncoder, type TextEncoder } from '../engine/encoders/text-encoder';
import { MODEL_MANIFEST, ModelManifest } from './model-export';
import { viewBatch } from './evaluation-views';
import { augmentedBatch, prepareRunImages } from './run-images';

type Tf = typeof tfType;

export interface PredictInput {
  image: string;
  note?: string | null;
  metadata?: MetadataRow;
}

export interface Prediction {
  /** Stage 1 (image only). */
  image: { label: string; probs: number[] };
  /** Proposed (image ⊕ note ⊕ metadata); null when the run trained no fusion head. */
  fused: { label: string; probs: number[] } | null;
}

const softmax = (z: number[]): number[] => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/** Applies an exported dense head (standardise, then layers with ReLU between) to one row. */
export const applyHead = (
  head: NonNullable<ModelManifest['fusion']>['head'],
  row: ArrayLike<number>,
): number[] => {
  let h = Array.from(row, (v, i) => (v - head.mean[i]!) * head.scale[i]!);
  for (let l = 0; l < head.sizes.length - 1; l++) {
    const [nIn, nOut] = [head.sizes[l]!, head.sizes[l + 1]!];
    const kernel = head.weights[2 * l]!;
    const bias = head.weights[2 * l + 1]!;
    const out = bias.slice();
    for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) out[o]! += h[i]! * kernel[i * nOut + o]!;
    h = l < head.sizes.length - 2 ? out.map((v) => Math.max(0, v)) : out;
  }
  return softmax(h);
};

/** Reads and validates an exported model folder's manifest (NOT_FOUND / INVALID_INPUT otherwise). */
export const readModelManifest = async (dir: string): Promise<ModelManifest> => {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, MODEL_MANIFEST), 'utf8'));
  } catch (e) {
    throw new AppError(
      'NOT_FOUND',
      `${join(dir, MODEL_MANIFEST)} could not be read (${(e as Error).message})`,
    );
  }
  const parsed = ModelManifest.safeParse(raw);
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', `not a SonoFuse model manifest: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
};

/**
 * The run's evaluation input for image files: decoded into the source frame, sector detected, then
 * the evaluation pipeline (resize + normalise, seed 0), exactly as validation and test were scored.
 */
export const preprocessForModel = async (
  augmenter: ReturnType<typeof createAugmenter>,
  paths: readonly string[],
): Promise<{ x: Float32Array; shape: number[] }> => {
  const images = await prepareRunImages(
    paths.map((path, i) => ({ imageId: i, path })),
    augmenter.config.source,
    augmenter.config.sector.threshold,
  );
  return augmentedBatch(
    images,
    paths.map((_, i) => i),
    augmenter,
    0,
  );
};

/**
 * Loads an exported run model (`sonofuse-model.json` + stage1/) and predicts new images with their
 * notes and metadata, offline, with the same preprocessing and encoders the run used.
 */
export const loadRunModel = async (tf: Tf, dir: string) => {
  const manifest = await readModelManifest(dir);
  if (manifest.fusion && manifest.fusion.noteDim > 0 && manifest.textEncoder === 'hf-local')
    throw new AppError(
      'NOT_SUPPORTED',
      'models with a local transformers note encoder cannot be used by predict yet',
    );
  const model = await tf.loadLayersModel(memoryHandler(await readModelFolder(join(dir, 'stage1'))));
  const features = tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(manifest.backbone.featureLayer).output as tfType.SymbolicTensor,
  });
  const augmenter = createAugmenter(manifest.preprocessing as never);
  const evaluation = manifest.evaluation;
  const viewAugmenter = evaluation ? createAugmenter(evaluation.augmentation as never) : augmenter;
  const text: TextEncoder | null =
    manifest.fusion && manifest.fusion.noteDim > 0 ? await createTextEncoder({ kind: 'use-lite', tf }) : null;
  const meta = manifest.metadataEncoder ? metadataEncoderFromState(manifest.metadataEncoder) : null;
  return {
    manifest,
    async predict(inputs: readonly PredictInput[]): Promise<Prediction[]> {
      const images = await prepareRunImages(
        inputs.map((p, i) => ({ imageId: i, path: p.image })),
        augmenter.config.source,
        // The run detected sectors with its training pipeline's threshold.
        viewAugmenter.config.sector.threshold,
      );
      const rows = inputs.map((_, i) => i);
      // View 0 is the clean image; views 1… the run's test-time augmentation (evaluation-views.ts).
      const pv: number[][][] = [];
      const fv: number[][][] = [];
      for (let v = 0; v <= (evaluation?.views ?? 0); v++) {
        const batch = viewBatch(
          images,
          rows,
          { train: viewAugmenter, evaluate: augmenter },
          v,
          evaluation?.seed ?? 0,
        );
        const x = tf.tensor(batch.x, batch.shape);
        const [probs, feats] = tf.tidy(() => [
          model.predict(x) as tfType.Tensor,
          features.predict(x) as tfType.Tensor,
        ]);
        pv.push((await probs!.array()) as number[][]);
        fv.push((await feats!.array()) as number[][]);
        tf.dispose([x, probs!, feats!]);
      }
      const mean = (rows: number[][]) =>
        rows[0]!.map((_, c) => rows.reduce((s, r) => s + r[c]!, 0) / rows.length);
      const p = rows.map((i) => mean(pv.map((view) => view[i]!)));
      let notes: number[][] = [];
      if (text) {
        const texts = inputs.map((i) => i.note ?? '');
        const emb = await text.embed(texts);
        const missing = text.missing(texts);
        notes = ((await emb.array()) as number[][]).map((row, i) => [...row, missing[i] ? 1 : 0]);
        emb.dispose();
      }
      const metaRows = meta
        ? Array.from({ length: inputs.length }, (_, i) =>
            Array.from(meta.transform([inputs[i]!.metadata ?? {}])),
          )
        : [];
      const label = (row: number[]) => manifest.classes[row.indexOf(Math.max(...row))]!;
      return inputs.map((_, i) => {
        const fusion = manifest.fusion;
        const fused = fusion
          ? mean(
              fv.map((f) => applyHead(fusion.head, [...f[i]!, ...(notes[i] ?? []), ...(metaRows[i] ?? [])])),
            )
          : null;
        return {
          image: { label: label(p[i]!), probs: p[i]! },
          fused: fused ? { label: label(fused), probs: fused } : null,
        };
      });
    },
    dispose(): void {
      model.dispose();
      text?.dispose();
    },
  };
};
