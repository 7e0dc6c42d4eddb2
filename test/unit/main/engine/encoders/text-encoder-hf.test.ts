import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextEncoder } from '../../../../../main/engine/encoders/text-encoder';
import { tinyDim, tinyRow, tinyVocab, writeTinyHfModel } from './tiny-hf-model';

/** Mean of the tiny table's rows for these token ids: what mean pooling must return. */
const meanRows = (ids: number[]): number[] =>
  ids.map(tinyRow).reduce((acc, r) => acc.map((x, d) => x + r[d] / ids.length), new Array(tinyDim).fill(0));
const id = (w: string) => tinyVocab.indexOf(w);

describe('transformers.js local feature-extraction encoder (tiny model built by the test)', () => {
  let root: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'sonofuse-hf-'));
    writeTinyHfModel(join(root, 'tiny-bert'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('mean-pools token embeddings over the attention mask, zero rows for missing notes', async () => {
    const enc = await createTextEncoder({ kind: 'hf-local', folder: join(root, 'tiny-bert'), batchSize: 2 });
    expect(enc.dim).toBe(tinyDim);
    const texts = ['Fetal head is well seen.', '', 'femurs xyz'];
    const e = await enc.embed(texts);
    const [a, missing, c] = await e.array();
    e.dispose();
    enc.dispose();
    // [CLS] fetal head is well seen . [SEP]: 8 tokens (lower-cased by the BERT normaliser)
    const wantA = meanRows([
      id('[CLS]'),
      id('fetal'),
      id('head'),
      id('is'),
      id('well'),
      id('seen'),
      id('.'),
      id('[SEP]'),
    ]);
    // [CLS] femur ##s [UNK] [SEP]: 5 tokens; padded to 8 in the batch, the padding must not count
    const wantC = meanRows([id('[CLS]'), id('femur'), id('##s'), id('[UNK]'), id('[SEP]')]);
    a.forEach((v, d) => expect(v).toBeCloseTo(wantA[d], 5));
    c.forEach((v, d) => expect(v).toBeCloseTo(wantC[d], 5));
    expect(missing).toEqual([0, 0, 0, 0]);
  });

  it('refuses folders that lack the model files, naming them', async () => {
    await expect(createTextEncoder({ kind: 'hf-local', folder: join(root, 'absent') })).rejects.toThrow(
      /text model folder not found/,
    );
    await expect(createTextEncoder({ kind: 'hf-local', folder: root })).rejects.toThrow(
      /lacks config\.json, tokenizer\.json, onnx\/model\.onnx/,
    );
  });
});

// A real model a site installed (e.g. a Bio/Clinical BERT exported with optimum), if one is named.
const realFolder = process.env.SONOFUSE_HF_TEXT_MODEL;
const realPresent = realFolder !== undefined && existsSync(realFolder);
describe.skipIf(!realPresent)(
  `a locally installed transformers.js text model (set SONOFUSE_HF_TEXT_MODEL to a folder to run; ${
    realPresent ? `using ${realFolder}` : 'none present, skipped'
  })`,
  () => {
    it('embeds two notes to finite vectors of its hidden size', async () => {
      const enc = await createTextEncoder({ kind: 'hf-local', folder: realFolder as string });
      const e = await enc.embed(['Cephalic presentation.', 'Breech presentation.']);
      expect(e.shape).toEqual([2, enc.dim]);
      expect(e.isFinite().all().dataSync()[0]).toBe(1);
      e.dispose();
      enc.dispose();
    });
  },
);
