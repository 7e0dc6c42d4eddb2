import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CheckpointCorruptError,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpoint,
  writeFileAtomic,
} from '../../../../../main/engine/train/checkpoint-file';
import { createSeededRng } from '../../../../../shared/random/seeded-random';
import { tempRunDir } from './fit-helpers';

const sample = () => ({
  state: { epoch: 3, note: 'ünïcode' },
  arrays: {
    weights: [
      { name: 'a', shape: [2, 2], dtype: 'float32' as const, data: new Float32Array([1.5, -2, 3.25, 0]) },
      { name: 'b', shape: [1], dtype: 'int32' as const, data: new Int32Array([-7]) },
    ],
    optimizer: [],
  },
});

describe('checkpoint files', () => {
  it('round-trips state and float32/int32 arrays bit for bit', () => {
    const decoded = decodeCheckpoint<{ epoch: number; note: string }>(encodeCheckpoint(sample()));
    expect(decoded.state).toEqual({ epoch: 3, note: 'ünïcode' });
    expect(Array.from(decoded.arrays.weights![0]!.data)).toEqual([1.5, -2, 3.25, 0]);
    expect(decoded.arrays.weights![1]!.data).toBeInstanceOf(Int32Array);
    expect(decoded.arrays.optimizer).toEqual([]);
  });

  it('rejects truncated or foreign files instead of treating them as "no checkpoint"', async () => {
    const buf = encodeCheckpoint(sample());
    expect(() => decodeCheckpoint(buf.subarray(0, buf.length - 4))).toThrow(CheckpointCorruptError);
    expect(() => decodeCheckpoint(Buffer.from('{"epoch":1}'))).toThrow(CheckpointCorruptError);
    const dir = tempRunDir();
    await writeFileAtomic(join(dir, 'latest.ckpt'), buf.subarray(0, 20));
    await expect(readCheckpoint(join(dir, 'latest.ckpt'))).rejects.toThrow(CheckpointCorruptError);
    expect(await readCheckpoint(join(dir, 'absent.ckpt'))).toBeNull();
  });

  it('replaces the target atomically and leaves no temp file', async () => {
    const dir = tempRunDir();
    const path = join(dir, 'latest.ckpt');
    await writeFileAtomic(path, Buffer.from('first'));
    await writeFileAtomic(path, Buffer.from('second'));
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['latest.ckpt']);
  });
});

describe('seeded RNG', () => {
  it('continues from a saved state exactly, and is fixed for a seed', () => {
    const a = createSeededRng(5);
    a.next();
    const saved = a.state();
    const rest = [a.next(), a.next()];
    const b = createSeededRng(saved, true);
    expect([b.next(), b.next()]).toEqual(rest);
    // Fixed for seed 5 (printed once from this implementation; guards accidental changes, which
    // would silently change every seeded run's shuffle).
    expect(createSeededRng(5).permutation(8)).toEqual([4, 7, 0, 3, 5, 6, 1, 2]);
    expect(createSeededRng(5).permutation(8)).not.toEqual(createSeededRng(6).permutation(8));
  });

  it('writes owner-only: new folders 0700 and the file 0600 under an ordinary umask', async () => {
    const previous = process.umask(0o022);
    try {
      const dir = join(tempRunDir(), 'run-1', 'stage1');
      await writeFileAtomic(join(dir, 'latest.ckpt'), Buffer.from('x'));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'latest.ckpt')).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});
