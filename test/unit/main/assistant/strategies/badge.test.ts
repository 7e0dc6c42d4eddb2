import { describe, expect, it } from 'vitest';
import { badgeOrder } from '../../../../../main/assistant/strategies/badge';
import { uncertaintyOrder } from '../../../../../main/assistant/strategies/uncertainty';

// Rows 0 and 1: the same frame (x = 1), a tie (0.5/0.5); row 2 at x = 3, fairly sure (0.9/0.1).
const x = Float32Array.from([1, 1, 3]);
const probs = [0.5, 0.5, 0.5, 0.5, 0.9, 0.1];

describe('badge', () => {
  it('starts at the longest gradient embedding and skips a duplicate of it', () => {
    // Embeddings (p − onehot(ŷ))·x: row 0 = row 1 = (−0.5, 0.5) (squared length 0.5), row 2 =
    // (−0.3, 0.3) (0.18). First pick row 0; squared distances to it: row 1 0, row 2 0.08 → row 2
    // is the only k-means++ candidate with weight, whatever the seed.
    expect(badgeOrder(x, 1, probs, 2, [0, 1, 2], 2, 7)).toEqual([0, 2]);
    expect(uncertaintyOrder(probs, 2, [0, 1, 2], 2)).toEqual([0, 1]);
  });
  it('fills with the remaining rows when every distance is zero', () => {
    expect(badgeOrder(x, 1, probs, 2, [0, 1], 2)).toEqual([0, 1]);
    expect(badgeOrder(x, 1, probs, 2, [0, 1, 2], 0)).toEqual([]);
  });
});
