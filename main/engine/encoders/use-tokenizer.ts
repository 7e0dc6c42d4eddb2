/**
 * A SentencePiece unigram vocabulary as USE lite ships it: `[piece, log-probability]`, id = index.
 * Seven pieces containing ':' (e.g. `▁:)`, `://`) carry `null`; tfjs-models' tokenizer adds them as
 * 0 (JavaScript's `null + x`), making them the most likely pieces, and so do we.
 */
export type UseVocabulary = ReadonlyArray<readonly [string, number | null]>;

/** SentencePiece's word-boundary marker (U+2581), which replaces spaces and starts every text. */
export const wordBoundary = '\u2581';

/** USE lite reserves ids 0-5 (unk, <s>, </s>, 3 extra ids); text never maps to 1-5. */
const reservedCount = 6;
const unkId = 0;

/**
 * What the tokenizer sees: NFKC-normalised, whitespace runs (newlines, tabs) collapsed to one space,
 * trimmed, then spaces replaced by `▁` with a leading `▁`. Empty when the text has no content.
 */
export const normaliseForUse = (text: string): string => {
  const clean = text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  return clean.length === 0 ? '' : wordBoundary + clean.replaceAll(' ', wordBoundary);
};

/** A USE lite tokenizer: `encode(text)` gives the piece ids the graph model's `values` input takes. */
export interface UseTokenizer {
  encode(text: string): number[];
  /** The pieces of an encoding, for debugging and tests. */
  pieces(ids: readonly number[]): string[];
}

/**
 * SentencePiece unigram segmentation by Viterbi over code points: the segmentation maximising the
 * sum of piece log-probabilities, as the tfjs-models USE tokenizer does. A character no piece covers
 * becomes the unknown id 0 with SentencePiece's penalty (lowest score − 10), and runs of unknowns
 * merge into one, also as tfjs-models does. (tfjs-models treats an unreachable lattice position as
 * score 0 rather than penalising it; on text made of known characters both give the same ids.)
 */
export const createUseTokenizer = (vocabulary: UseVocabulary): UseTokenizer => {
  const table = new Map<string, { id: number; score: number }>();
  let maxLen = 1;
  let minScore = 0;
  for (let id = reservedCount; id < vocabulary.length; id++) {
    const [piece, raw] = vocabulary[id];
    const score = raw ?? 0;
    table.set(piece, { id, score }); // a duplicated piece ('”5') keeps its last id, as tfjs-models' trie does
    maxLen = Math.max(maxLen, [...piece].length);
    minScore = Math.min(minScore, score);
  }
  const unkScore = minScore - 10;

  const encode = (text: string): number[] => {
    const chars = [...normaliseForUse(text)];
    const n = chars.length;
    const best = new Float64Array(n + 1).fill(-Infinity);
    const from = new Int32Array(n + 1);
    const idAt = new Int32Array(n + 1);
    best[0] = 0;
    for (let start = 0; start < n; start++) {
      if (best[start] === -Infinity) continue;
      let matched = false;
      let piece = '';
      for (let len = 1; len <= maxLen && start + len <= n; len++) {
        piece += chars[start + len - 1];
        const hit = table.get(piece);
        if (!hit) continue;
        if (len === 1) matched = true;
        const score = best[start] + hit.score;
        if (score > best[start + len]) {
          best[start + len] = score;
          from[start + len] = start;
          idAt[start + len] = hit.id;
        }
      }
      if (!matched && best[start] + unkScore > best[start + 1]) {
        best[start + 1] = best[start] + unkScore;
        from[start + 1] = start;
        idAt[start + 1] = unkId;
      }
    }
    const ids: number[] = [];
    for (let end = n; end > 0; end = from[end]) {
      if (!(idAt[end] === unkId && ids[ids.length - 1] === unkId)) ids.push(idAt[end]);
    }
    return ids.reverse();
  };

  return {
    encode,
    pieces: (ids) => ids.map((id) => vocabulary[id]?.[0] ?? '<bad id>'),
  };
};
