import { describe, expect, it } from 'vitest';
import { diverseUncertaintyOrder } from '../../../../main/assistant/strategies/diverse-uncertainty';
import { uncertaintyOrder } from '../../../../main/assistant/strategies/uncertainty';
import { randomOrder } from '../../../../main/assistant/strategies/random-order';

// Rows 0-2: three near-identical frames (x≈0), all maximally uncertain; row 3 at x=5 slightly less
// uncertain; row 4 at x=9 confident. Labeled: row 5 at x=20.
const x = Float32Array.from([0, 0.01, 0.02, 5, 9, 20]);
const probs = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.4, 0.99, 0.01, 1, 0];

describe('diverse uncertainty', () => {
  it('plain uncertainty queues the three duplicates together', () => {
    expect(uncertaintyOrder(probs, 2, [0, 1, 2, 3, 4], 2)).toEqual([0, 1]);
  });
  it('mixing diversity takes one duplicate and the next uncertain region', () => {
    // pool = 4 most uncertain = rows 0,1,2,3; k-center from labeled 20: row 0 (dist 400), then row 3 (25 vs 0.0001)
    expect(diverseUncertaintyOrder(x, 1, probs, 2, [0, 1, 2, 3, 4], [5], 2, { poolFactor: 2 })).toEqual([
      0, 3,
    ]);
  });
  it('random order is a seeded permutation', () => {
    const a = randomOrder([10, 11, 12, 13], 4, 3);
    expect(randomOrder([10, 11, 12, 13], 4, 3)).toEqual(a);
    expect([...a].sort()).toEqual([10, 11, 12, 13]);
    expect(randomOrder([10, 11, 12, 13], 2, 3)).toEqual(a.slice(0, 2));
  });
});
