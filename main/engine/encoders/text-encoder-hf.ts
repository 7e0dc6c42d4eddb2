import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as tfDefault from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/result';
import type { TextEncoder } from './text-encoder-types';
import { isMissingNote } from './text-encoder-types';

type Tf = typeof tfDefault;

/** Options of {@link createHfLocalEncoder}. */
export interface HfLocalOptions {
  /**
   * A transformers.js model folder: config.json, tokenizer.json (+ tokenizer_config.json) and
   * onnx/model.onnx, as `optimum` exports it. Read from disk only; nothing is ever downloaded.
   */
  folder: string;
  /** Texts per ONNX run (default 16). */
  batchSize?: number;
  /** L2-normalise each pooled embedding (default false). */
  normalize?: boolean;
  tf?: Tf;
}

const requiredFiles = ['config.json', 'tokenizer.json', join('onnx', 'model.onnx')];

/**
 * A `@huggingface/transformers` feature-extraction model from a local folder, mean-pooled over
 * tokens (attention-masked), for sites that install a medical text model themselves. transformers.js
 * is imported only here, and configured for local files only: `allowRemoteModels=false`,
 * `localModelPath` = the folder's parent, no file cache. Missing notes get zero rows, as with USE.
 * Note: `env` is process-wide in transformers.js; this sets it for the whole trainer process.
 */
export const createHfLocalEncoder = async (opts: HfLocalOptions): Promise<TextEncoder> => {
  const tf = opts.tf ?? tfDefault;
  const folder = resolve(opts.folder);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new AppError('NOT_FOUND', `text model folder not found: ${folder}`);
  }
  const missingFiles = requiredFiles.filter((f) => !existsSync(join(folder, f)));
  if (missingFiles.length > 0) {
    throw new AppError('NOT_FOUND', `text model folder ${folder} lacks ${missingFiles.join(', ')}`);
  }
  const batchSize = opts.batchSize ?? 16;
  const hf = await import('@huggingface/transformers');
  hf.env.allowRemoteModels = false;
  hf.env.allowLocalModels = true;
  hf.env.localModelPath = dirname(folder);
  hf.env.useFSCache = false;
  hf.env.useBrowserCache = false;
  let extractor: Awaited<ReturnType<typeof hf.pipeline<'feature-extraction'>>>;
  try {
    extractor = await hf.pipeline('feature-extraction', basename(folder), {
      local_files_only: true,
      dtype: 'fp32',
    });
  } catch (e) {
    throw new AppError('INVALID_INPUT', `text model in ${folder} does not load: ${(e as Error).message}`);
  }
  const probe = await extractor(['a'], { pooling: 'mean' });
  const dim = (probe.dims as number[])[1];

  const embed = async (texts: readonly string[]): Promise<tfDefault.Tensor2D> => {
    const present = texts.map((t, i) => (isMissingNote(t) ? -1 : i)).filter((i) => i >= 0);
    const rows = new Map<number, Float32Array>();
    for (let s = 0; s < present.length; s += batchSize) {
      const idx = present.slice(s, s + batchSize);
      const out = await extractor(
        idx.map((i) => texts[i]),
        { pooling: 'mean', normalize: opts.normalize ?? false },
      );
      const [n, d] = out.dims as number[];
      const data = out.data as Float32Array;
      for (let r = 0; r < n; r++) rows.set(idx[r], data.slice(r * d, (r + 1) * d));
      out.dispose?.();
    }
    const flat = new Float32Array(texts.length * dim);
    for (const [i, v] of rows) flat.set(v, i * dim);
    return tf.tensor2d(flat, [texts.length, dim]);
  };

  return {
    kind: 'hf-local',
    dim,
    description: `transformers.js feature-extraction model from ${folder} (mean pooled)`,
    embed,
    missing: (texts) => texts.map(isMissingNote),
    dispose: () => void extractor.dispose(),
  };
};
