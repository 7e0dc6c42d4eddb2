import { describe, expect, it } from 'vitest';
import {
  entropyScores,
  marginScores,
  orderByScore,
  uncertaintyOrder,
} from '../../../../../main/assistant/strategies/uncertainty';

// Four rows of three classes; margins by hand: 1-(.5-.4)=.9, 1-(.9-.05)=.15, 1-(.34-.33)=.99, 1-(.6-.3)=.7
const probs = [0.5, 0.4, 0.1, 0.9, 0.05, 0.05, 0.34, 0.33, 0.33, 0.6, 0.3, 0.1];

describe('uncertainty', () => {
  it('margin scores are 1 minus the top-two gap', () => {
    expect(Array.from(marginScores(probs, 3)).map((v) => +v.toFixed(6))).toEqual([0.9, 0.15, 0.99, 0.7]);
  });
  it('entropy of a uniform row is log(classes), of a one-hot row 0', () => {
    const h = entropyScores([1 / 3, 1 / 3, 1 / 3, 1, 0, 0], 3);
    expect(h[0]).toBeCloseTo(Math.log(3), 12);
    expect(h[1]).toBe(0);
  });
  it('orders candidates most uncertain first (margin order 2, 0, 3, 1)', () => {
    expect(uncertaintyOrder(probs, 3, [0, 1, 2, 3], 4)).toEqual([2, 0, 3, 1]);
    expect(uncertaintyOrder(probs, 3, [1, 3], 1)).toEqual([3]);
  });
  it('entropy can disagree with margin: row 0 (.5,.4,.1) vs row 3 (.6,.3,.1)', () => {
    // H(.5,.4,.1)=0.943, H(.6,.3,.1)=0.898, H(.9,.05,.05)=0.394, H(.34,.33,.33)=1.0986
    expect(uncertaintyOrder(probs, 3, [0, 1, 2, 3], 4, 'entropy')).toEqual([2, 0, 3, 1]);
  });
  it('ties keep candidate order', () => {
    expect(orderByScore([5, 1, 3], [0, 1, 0, 1, 0, 1])).toEqual([5, 1, 3]);
  });
});
