import type { RunManifest } from './run-manifest';
import { createMetadataEncoder, type MetadataEncoderState } from '../engine/encoders/metadata-encoder';
import type { TextEncoder } from '../engine/encoders/text-encoder-types';

/** Fixed per-image inputs of the fusion heads: note embedding (+ missing flag) and metadata encoding. */
export interface Modalities {
  /** `[items, noteDim]` (embedding ⊕ missing flag), or null when no image has a note. */
  notes: { x: Float32Array; dim: number } | null;
  /** `[items, metaDim]`, or null when the run uses no metadata column. */
  metadata: { x: Float32Array; dim: number; state: MetadataEncoderState } | null;
}

/**
 * Embeds every note once (the encoder batches internally) and fits the metadata encoder on the
 * training images only (means, categories), then encodes every image with it.
 */
export const encodeModalities = async (
  manifest: RunManifest,
  textEncoder: TextEncoder | null,
): Promise<Modalities> => {
  const items = manifest.items;
  let notes: Modalities['notes'] = null;
  const texts = items.map((i) => i.note ?? '');
  if (textEncoder && textEncoder.missing(texts).some((m) => !m)) {
    const emb = await textEncoder.embed(texts);
    const values = (await emb.data()) as Float32Array;
    emb.dispose();
    const missing = textEncoder.missing(texts);
    const dim = textEncoder.dim + 1;
    const x = new Float32Array(items.length * dim);
    items.forEach((_, r) => {
      x.set(values.subarray(r * textEncoder.dim, (r + 1) * textEncoder.dim), r * dim);
      x[r * dim + textEncoder.dim] = missing[r] ? 1 : 0;
    });
    notes = { x, dim };
  }
  let metadata: Modalities['metadata'] = null;
  if (manifest.metadataColumns.length > 0) {
    const encoder = createMetadataEncoder({ columns: manifest.metadataColumns }).fit(
      items.filter((i) => i.part === 'train').map((i) => i.metadata),
    );
    metadata = {
      x: encoder.transform(items.map((i) => i.metadata)),
      dim: encoder.width,
      state: encoder.toJSON(),
    };
  }
  return { notes, metadata };
};

/** Concatenates row blocks column-wise: rows `rows[k]` of every part, in order. */
export const concatRows = (
  rows: readonly number[],
  parts: ReadonlyArray<{ x: Float32Array; dim: number; row?: (k: number) => number }>,
): { x: Float32Array; dim: number } => {
  const dim = parts.reduce((s, p) => s + p.dim, 0);
  const x = new Float32Array(rows.length * dim);
  rows.forEach((r, k) => {
    let o = k * dim;
    for (const p of parts) {
      const src = p.row ? p.row(k) : r;
      x.set(p.x.subarray(src * p.dim, (src + 1) * p.dim), o);
      o += p.dim;
    }
  });
  return { x, dim };
};
