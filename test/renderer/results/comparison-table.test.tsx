// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunIntervals } from '../../../shared/contract/run-intervals';
import {
  bestMethod,
  ComparisonTable,
  METRIC_HELP,
  separatedBest,
} from '../../../renderer/results/comparison-table';
import { runSummaryFixture } from '../../support/run-summary-fixture';
import { addCurvePoint } from '../../../shared/run/run-progress';

afterEach(cleanup);

describe('ComparisonTable', () => {
  const run = runSummaryFixture();

  const iv = (lo: number, hi: number, value = (lo + hi) / 2) => ({ value, lo, hi });
  const intervals = (proposed: [number, number], others: [number, number]): RunIntervals => ({
    runId: 7,
    split: 'test',
    resamples: 2000,
    seed: 1,
    level: 0.95,
    methods: Object.fromEntries(
      (['stage1_image', 'proposed', 'note_only'] as const).map((m) => {
        const [lo, hi] = m === 'proposed' ? proposed : others;
        return [m, { n: 6, accuracy: iv(lo, hi), balancedAccuracy: iv(lo, hi), macroF1: iv(lo, hi) }];
      }),
    ),
  });

  it('lists methods in canonical order with inputs, n, intervals and seed spread', () => {
    render(<ComparisonTable run={run} intervals={intervals([0.5, 1], [0.33, 1])} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual([
      'method-stage1_image',
      'method-proposed',
      'method-note_only',
    ]);
    expect(screen.getByTestId('method-proposed').textContent).toContain('fused (image + note + metadata)');
    expect(screen.getByTestId('method-note_only').textContent).toContain('note only');
    const proposedCells = screen.getByTestId('method-proposed').querySelectorAll('td');
    // Validation with its n, the test n, then accuracy: mean ± SD over 3 seeds and the 95% interval.
    expect(proposedCells[1]!.textContent).toBe('100.0 n = 6');
    expect(proposedCells[2]!.textContent).toBe('6');
    expect(proposedCells[3]!.textContent).toBe('80.0 ± 5.0 [50.0–100.0]');
    expect(screen.getByTestId('method-stage1_image').querySelectorAll('td')[3]!.textContent).toBe(
      '66.7 [33.0–100.0]',
    );
    expect(bestMethod(run, 'macroF1')).toBe('proposed');
  });

  it('marks best only when the intervals separate, and warns that the test part is small', () => {
    // Overlapping intervals (the 100.0 against 90.0 on a few images): no "best".
    const { unmount } = render(<ComparisonTable run={run} intervals={intervals([0.5, 1], [0.33, 1])} />);
    expect(document.querySelectorAll('td.best')).toHaveLength(0);
    expect(screen.queryByText(/\(best\)/)).toBeNull();
    expect(separatedBest(run, null, 'accuracy')).toBeNull();
    expect(screen.getByTestId('small-test-warning').textContent).toMatch(
      /only 6 images: one image moves accuracy by 16.7 points/,
    );
    unmount();
    render(<ComparisonTable run={run} intervals={intervals([0.7, 0.9], [0.3, 0.6])} />);
    const cell = screen.getByTestId('method-proposed').querySelectorAll('td')[3]!;
    expect(cell.className).toBe('best');
    expect(cell.textContent).toContain('(best)');
    expect(separatedBest(run, intervals([0.7, 0.9], [0.3, 0.6]), 'macroF1')).toBe('proposed');
  });

  it('explains ECE, balanced accuracy and macro-F1 in one line on hover', () => {
    render(<ComparisonTable run={run} />);
    const header = (name: RegExp) => screen.getByRole('columnheader', { name });
    expect(header(/ECE/).getAttribute('title')).toBe(METRIC_HELP.ece);
    expect(header(/balanced acc/).getAttribute('title')).toMatch(/per-class recalls/);
    expect(header(/macro-F1/).getAttribute('title')).toMatch(/harmonic mean of precision and recall/);
    for (const text of Object.values(METRIC_HELP)) expect(text.split('\n')).toHaveLength(1);
  });

  it('selects a method on click', () => {
    const onSelect = vi.fn();
    render(<ComparisonTable run={run} onSelect={onSelect} selected="stage1_image" />);
    fireEvent.click(screen.getByRole('button', { name: 'Note only' }));
    expect(onSelect).toHaveBeenCalledWith('note_only');
    expect(
      screen.getByRole('button', { name: 'Stage 1: fine-tuned image model' }).getAttribute('aria-pressed'),
    ).toBe('true');
  });
});

describe('curve points', () => {
  it('replace a point re-sent after a resume instead of duplicating it', () => {
    const p = (epoch: number, loss: number) => ({
      method: 'stage1_image' as const,
      epoch,
      trainLoss: loss,
      trainAccuracy: null,
      validationLoss: null,
      validationAccuracy: 0.5,
    });
    const curves = addCurvePoint(addCurvePoint(addCurvePoint([], p(1, 1)), p(2, 0.8)), p(2, 0.7));
    expect(curves.map((c) => [c.epoch, c.trainLoss])).toEqual([
      [1, 1],
      [2, 0.7],
    ]);
  });
});
