// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bestMethod, ComparisonTable } from '../../../renderer/results/comparison-table';
import { runSummaryFixture } from '../../support/run-summary-fixture';
import { addCurvePoint } from '../../../shared/run/run-progress';

afterEach(cleanup);

describe('ComparisonTable', () => {
  const run = runSummaryFixture();

  it('lists methods in canonical order with their inputs, seed spread and the best value marked', () => {
    render(<ComparisonTable run={run} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual([
      'method-stage1_image',
      'method-proposed',
      'method-note_only',
    ]);
    expect(screen.getByTestId('method-proposed').textContent).toContain('fused (image + note + metadata)');
    expect(screen.getByTestId('method-note_only').textContent).toContain('note only');
    // Proposed: 80.0 ± 5.0 over 3 seeds, and best on accuracy.
    const proposedCells = screen.getByTestId('method-proposed').querySelectorAll('td');
    expect(proposedCells[2]!.textContent).toBe('80.0 ± 5.0 (best)');
    expect(proposedCells[2]!.className).toBe('best');
    expect(screen.getByTestId('method-stage1_image').querySelectorAll('td')[2]!.textContent).toBe('66.7');
    expect(bestMethod(run, 'macroF1')).toBe('proposed');
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
