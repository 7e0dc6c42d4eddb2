import { describe, expect, it } from 'vitest';
import { chunksOf, inferChunks, predictPipelined } from '../../../../main/runs/image-inference';

const batch = (v: number) => ({ x: Float32Array.of(v, v + 0.5), shape: [1, 2] });

describe('pipelined inference', () => {
  it('builds the next batch while the current one is predicted, outputs in order', async () => {
    const events: string[] = [];
    const outs = await predictPipelined(
      async (x) => {
        events.push(`predict ${x[0]}`);
        await new Promise((r) => setImmediate(r));
        events.push(`done ${x[0]}`);
        return Float32Array.of(x[0]! * 2);
      },
      [1, 2, 3].map((v) => () => {
        events.push(`build ${v}`);
        return batch(v);
      }),
    );
    expect(outs.map((o) => o[0])).toEqual([2, 4, 6]);
    expect(events).toEqual([
      'build 1',
      'predict 1',
      'build 2',
      'done 1',
      'predict 2',
      'build 3',
      'done 2',
      'predict 3',
      'done 3',
    ]);
  });

  it('gives the same rows as chunk-by-chunk inference and passes a failed prediction on', async () => {
    const indices = Array.from({ length: 70 }, (_, i) => 100 + i);
    expect(chunksOf(indices).map((c) => c.length)).toEqual([32, 32, 6]);
    const r = await inferChunks(
      async (x, shape) =>
        Float32Array.from({ length: shape[0]! * 2 }, (_, k) => x[Math.floor(k / 2)]! + (k % 2)),
      (slice) => ({ x: Float32Array.from(slice), shape: [slice.length, 1] }),
      indices,
    );
    expect(r.dim).toBe(2);
    expect(Array.from(r.rows.subarray(0, 4))).toEqual([100, 101, 101, 102]);
    expect(Array.from(r.rows.subarray(138))).toEqual([169, 170]);
    await expect(
      predictPipelined(
        async (x) => {
          if (x[0] === 2) throw new Error('replica 1 failed');
          return x;
        },
        [1, 2, 3].map((v) => () => batch(v)),
      ),
    ).rejects.toThrow('replica 1 failed');
  });

  it('stops between chunks when cancelled', async () => {
    const controller = new AbortController();
    const predicted: number[] = [];
    await expect(
      predictPipelined(
        async (x) => {
          predicted.push(x[0]!);
          controller.abort();
          return x;
        },
        [1, 2, 3].map((v) => () => batch(v)),
        controller.signal,
      ),
    ).rejects.toThrow();
    expect(predicted).toEqual([1]);
  });
});
