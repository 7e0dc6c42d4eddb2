// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfusionMatrix, rowShare } from '../../../renderer/results/confusion-matrix';

afterEach(cleanup);

describe('ConfusionMatrix', () => {
  const classes = ['benign', 'malignant', 'normal'];
  const matrix = [
    [30, 5, 0],
    [4, 16, 0],
    [1, 0, 9],
  ];

  it('shows counts per true/predicted pair and reports the clicked cell', () => {
    const onCellClick = vi.fn();
    render(
      <ConfusionMatrix title="Stage 1 · test" classes={classes} matrix={matrix} onCellClick={onCellClick} />,
    );
    const cell = screen.getByRole('button', { name: '4 images of malignant predicted as benign' });
    fireEvent.click(cell);
    expect(onCellClick).toHaveBeenCalledWith(1, 0);
    // Empty cells cannot be opened.
    expect(
      (screen.getByRole('button', { name: '0 images of benign predicted as normal' }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
    expect(screen.getByRole('table', { name: 'Stage 1 · test' })).toBeTruthy();
  });

  it('shades by row share (recall view)', () => {
    expect(rowShare(matrix, 0, 0)).toBeCloseTo(30 / 35, 12);
    expect(rowShare([[0, 0]], 0, 1)).toBe(0);
  });
});
