// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfusionMatrix, rowShare } from '../../../renderer/results/confusion-matrix';
import { chartScale, LineChart, seriesPath } from '../../../renderer/results/line-chart';

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

describe('LineChart', () => {
  it('scales series into the box, y up', () => {
    const scale = chartScale([
      {
        name: 'loss',
        tone: 'series-a',
        points: [
          { x: 0, y: 2 },
          { x: 4, y: 1 },
        ],
      },
    ]);
    expect(scale).toEqual({ x0: 0, x1: 4, y0: 1, y1: 2 });
    expect(
      seriesPath(
        [
          { x: 0, y: 2 },
          { x: 4, y: 1 },
        ],
        scale,
        100,
        50,
      ),
    ).toBe('M0.0,0.0 L100.0,50.0');
    // A flat line is padded to stay visible.
    expect(chartScale([{ name: 'a', tone: 'series-a', points: [{ x: 1, y: 0.5 }] }])).toEqual({
      x0: 1,
      x1: 2,
      y0: 0,
      y1: 1,
    });
  });

  it('draws one path per series with an accessible summary', () => {
    render(
      <LineChart
        title="Loss"
        yLabel="loss"
        series={[
          {
            name: 'train',
            tone: 'series-a',
            points: [
              { x: 1, y: 1 },
              { x: 2, y: 0.5 },
            ],
          },
          { name: 'validation', tone: 'series-b', dashed: true, points: [{ x: 1, y: 1.2 }] },
        ]}
      />,
    );
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Loss: train 2 points, validation 1 points',
    );
    expect(document.querySelectorAll('path.series')).toHaveLength(2);
  });
});
