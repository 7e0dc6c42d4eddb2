import { describe, expect, it } from 'vitest';
import { simSummary } from '../../../renderer/assistant/sim-summary';
import { SIM } from './sim-fixture';

describe('simSummary', () => {
  it('averages each strategy over seeds per number of labels and adds the 95% target line', () => {
    const { x, series, target } = simSummary(SIM);
    expect(x).toEqual([10, 20, 30]);
    expect(target).toBeCloseTo(0.76, 10);
    expect(series.map((s) => [s.label, s.dashed])).toEqual([
      ['Random order', false],
      ['Diverse uncertainty', false],
      ['95% of all labels', true],
    ]);
    expect(series[0]!.values.map((v) => v!.toFixed(3))).toEqual(['0.500', '0.650', '0.740']);
    expect(series[1]!.values.map((v) => v!.toFixed(3))).toEqual(['0.550', '0.775', '0.795']);
  });

  it('labels to 95% over the seeds that reached it, as a share of random, with the seeds that did not', () => {
    const { rows } = simSummary(SIM);
    expect(rows).toEqual([
      {
        strategy: 'random',
        seeds: 2,
        labelsTo95: 30,
        neverReached: 1,
        auc: 0.625,
        suggestionAccuracy: 0.55,
        ofRandom: 1,
      },
      {
        strategy: 'diverse-uncertainty',
        seeds: 2,
        labelsTo95: 15,
        neverReached: 0,
        auc: 0.71,
        suggestionAccuracy: 0.75,
        ofRandom: 0.5,
      },
    ]);
  });
});
