import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLiteDir } from '../../../../../main/engine/encoders/text-encoder-use';
import type { UseVocabulary } from '../../../../../main/engine/encoders/use-tokenizer';
import { createUseTokenizer, normaliseForUse } from '../../../../../main/engine/encoders/use-tokenizer';

// The vocabulary tfjs-models' USE tokenizer tests use; the expected ids below are the ones those
// tests assert, so our tokenizer is checked against the reference implementation's behaviour.
const stubVocab: UseVocabulary = [
  ['�', 0],
  ['<s>', 0],
  ['</s>', 0],
  ['extra_token_id_1', 0],
  ['extra_token_id_2', 0],
  ['extra_token_id_3', 0],
  ['▁', -2],
  ['▁a', -1],
  ['▁ç', -2],
  ['a', -3],
  ['.', -1],
  ['▁I', -1],
  ['▁like', -1],
  ['▁it', -1],
  ['I', -2],
  ['like', -2],
  ['it', -2],
  ['l', -3],
  ['i', -3],
  ['k', -3],
  ['e', -3],
  ['i', -3],
  ['t', -3],
];

describe('USE tokenizer on the tfjs-models stub vocabulary', () => {
  const tok = createUseTokenizer(stubVocab);
  it('segments like the reference implementation', () => {
    expect(tok.encode('Ilikeit.')).toEqual([11, 15, 16, 10]); // ▁I like it .
    expect(tok.encode('I like it.')).toEqual([11, 12, 13, 10]); // ▁I ▁like ▁it .
  });
  it('normalises to NFKC (ç precomposed = c + combining cedilla)', () => {
    expect(tok.encode('ça')).toEqual(tok.encode('c\u0327a'));
  });
  it('maps unknown characters to id 0 and merges runs of them', () => {
    expect(tok.encode('😹')).toEqual([6, 0]); // ▁ then one unknown
    expect(tok.encode('a😹😹')).toEqual([7, 0]); // ▁a, then two unknowns merged
  });
  it('collapses whitespace runs and trims (our normalisation), empty text has no ids', () => {
    expect(normaliseForUse('  I\n\tlike  it. ')).toBe('▁I▁like▁it.');
    expect(tok.encode('  I\n\tlike  it. ')).toEqual([11, 12, 13, 10]);
    expect(tok.encode('')).toEqual([]);
    expect(tok.encode(' \n ')).toEqual([]);
  });
});

describe('USE tokenizer on the real USE lite vocabulary', () => {
  const vocab = JSON.parse(readFileSync(join(useLiteDir(), 'vocab.json'), 'utf8')) as UseVocabulary;
  const tok = createUseTokenizer(vocab);
  // piece → score of its last occurrence (ids 0-5 are reserved and never produced from text)
  const scores = new Map(vocab.slice(6).map(([p, s]) => [p, s ?? 0]));

  /** Best segmentation of one word by trying every split (independent of the tokenizer's Viterbi). */
  const exhaustiveBest = (word: string[]): { score: number; pieces: string[] } => {
    let best = { score: -Infinity, pieces: [] as string[] };
    const walk = (at: number, acc: string[], sum: number) => {
      if (at === word.length) {
        if (sum > best.score) best = { score: sum, pieces: [...acc] };
        return;
      }
      for (let end = at + 1; end <= word.length; end++) {
        const piece = word.slice(at, end).join('');
        const s = scores.get(piece);
        if (s !== undefined) walk(end, [...acc, piece], sum + s);
      }
    };
    walk(0, [], 0);
    return best;
  };

  it('gives the golden ids of a clinical sentence', () => {
    // Ids read from vocab.json: 34 ▁The, 1734 ▁fe, 1059 tal, 484 ▁head, 18 ▁is, 185 ▁well,
    // 5223 ▁visual, 2342 ised, 6 '.' ("▁fetal" and "▁visualised" are not pieces of their own).
    const ids = tok.encode('The fetal head is well visualised.');
    expect(ids).toEqual([34, 1734, 1059, 484, 18, 185, 5223, 2342, 6]);
    expect(tok.pieces(ids).join('')).toBe('▁The▁fetal▁head▁is▁well▁visualised.');
    // 341 ▁H + 4125 ello (no "▁Hello" piece), 311 ▁world
    expect(tok.encode('Hello world')).toEqual([341, 4125, 311]);
  });

  it('picks, for each word, the highest-scoring split an exhaustive search finds', () => {
    for (const word of ['▁fetal', '▁visualised.', '▁biometry', '▁cephalic', '▁oligohydramnios']) {
      const best = exhaustiveBest([...word]);
      const ours = tok.pieces(tok.encode(word.slice(1)));
      expect(ours).toEqual(best.pieces);
    }
  });

  it('treats the null-scored ":" pieces as score 0, as tfjs-models does', () => {
    // "▁:)" (id 658) carries null in vocab.json; with score 0 it beats "▁:" + ")".
    expect(tok.encode(':)')).toEqual([658]);
  });
});
