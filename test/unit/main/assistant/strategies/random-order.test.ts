import { describe, expect, it } from 'vitest';
import { randomOrder } from '../../../../../main/assistant/strategies/random-order';

describe('random order', () => {
  it('is a seeded permutation; a shorter k is its prefix', () => {
    const a = randomOrder([10, 11, 12, 13], 4, 3);
    expect(randomOrder([10, 11, 12, 13], 4, 3)).toEqual(a);
    expect([...a].sort()).toEqual([10, 11, 12, 13]);
    expect(randomOrder([10, 11, 12, 13], 2, 3)).toEqual(a.slice(0, 2));
    expect(randomOrder([10, 11, 12, 13], 4, 4)).not.toEqual(a);
  });
});
