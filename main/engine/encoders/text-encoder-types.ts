import type * as tfType from '@tensorflow/tfjs';

/**
 * A note encoder. Contract for missing notes (empty or whitespace-only text, or null/undefined
 * coming from the catalog): their row of `embed` is all zeros and `missing` flags them, so a fusion
 * head gets `[embedding, missingFlag]` and can tell "no note" from "a note that embeds near zero".
 */
export interface TextEncoder {
  readonly kind: 'use-lite' | 'hf-local';
  /** Width of each embedding row (512 for USE lite). */
  readonly dim: number;
  /** What the UI shows as the encoder's name and provenance. */
  readonly description: string;
  /** `[texts.length, dim]` float32; the caller disposes it. Batches internally. */
  embed(texts: readonly string[]): Promise<tfType.Tensor2D>;
  /** Per text: true when the note is missing (its embedding row is zeros). */
  missing(texts: readonly string[]): boolean[];
  /** Token ids the model sees, when the encoder exposes them (for tests and debugging). */
  tokenize?(text: string): number[];
  dispose(): void;
}

/** A note counts as missing when it is null/undefined or has no non-whitespace character. */
export const isMissingNote = (text: string | null | undefined): boolean =>
  text === null || text === undefined || text.trim().length === 0;
