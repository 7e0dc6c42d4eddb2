import { createHash } from 'node:crypto';
import { selectBackend } from '../engine/backend/select-backend';
import { createTextEncoder } from '../engine/encoders/text-encoder';
import { isMissingNote } from '../engine/encoders/text-encoder-types';
import type { PoolRow } from './assistant-data';
import { featureCachePath, openFeatureCache } from './feature-cache';

/** USE lite's embedding width. */
export const NOTE_DIM = 512;

/**
 * Note embeddings of the pool (the runs' own note encoder, Universal Sentence Encoder lite, from
 * npm), cached per SHA-256 of the note text beside the image features; a missing note is a zero
 * row. Null when no image has a note (nothing is loaded then). For `assist-sim` (CLI process).
 */
export const poolNoteMatrix = async (
  rows: ReadonlyArray<Pick<PoolRow, 'note'>>,
  workspaceDir: string,
): Promise<{ x: Float32Array; dim: number } | null> => {
  if (rows.every((r) => isMissingNote(r.note))) return null;
  const cache = await openFeatureCache(featureCachePath(workspaceDir, 'use-lite-notes'), NOTE_DIM);
  const hashOf = (t: string) => createHash('sha256').update(t).digest('hex');
  const texts = [...new Set(rows.flatMap((r) => (isMissingNote(r.note) ? [] : [r.note!])))];
  const missing = texts.filter((t) => !cache.has(hashOf(t)));
  if (missing.length > 0) {
    const { tf } = await selectBackend({ order: ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] });
    const encoder = await createTextEncoder({ kind: 'use-lite', tf: tf as never });
    try {
      for (let s = 0; s < missing.length; s += 64) {
        const part = missing.slice(s, s + 64);
        const emb = await encoder.embed(part);
        const data = (await emb.data()) as Float32Array;
        emb.dispose();
        part.forEach((t, i) => cache.set(hashOf(t), data.slice(i * NOTE_DIM, (i + 1) * NOTE_DIM)));
        await cache.save();
      }
    } finally {
      encoder.dispose();
    }
  }
  const x = new Float32Array(rows.length * NOTE_DIM);
  rows.forEach((r, i) => {
    if (!isMissingNote(r.note)) x.set(cache.get(hashOf(r.note!))!, i * NOTE_DIM);
  });
  return { x, dim: NOTE_DIM };
};
