// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gridLayout, VirtualGrid, visibleRange } from '../../../renderer/components/virtual-grid';

afterEach(cleanup);

describe('grid geometry', () => {
  it('fits columns to the width and counts rows', () => {
    // (800 + 8) / (100 + 8) = 7.48 → 7 columns; 100000 / 7 → 14286 rows.
    expect(gridLayout(100_000, 800, 100, 8)).toEqual({ columns: 7, rows: 14_286 });
    expect(gridLayout(5, 50, 100, 8)).toEqual({ columns: 1, rows: 5 });
  });

  it('computes the rendered range with overscan, clamped to the item count', () => {
    // Row height 108; scrollTop 1080 → first visible row 10; viewport 600 → last row ceil(1680/108) = 16.
    expect(visibleRange(1080, 600, 108, 7, 100_000, 2)).toEqual({ start: 56, end: 126, firstRow: 8 });
    expect(visibleRange(0, 600, 108, 7, 10, 2)).toEqual({ start: 0, end: 10, firstRow: 0 });
  });
});

describe('VirtualGrid', () => {
  it('renders only the cells near the viewport of 100,000 items and follows scrolling', () => {
    const onRange = vi.fn();
    render(
      <VirtualGrid
        label="Images"
        itemCount={100_000}
        itemWidth={100}
        itemHeight={100}
        initialSize={{ width: 800, height: 600 }}
        renderItem={(i) => <span>item {i}</span>}
        onRangeChange={onRange}
      />,
    );
    const grid = screen.getByRole('grid', { name: 'Images' });
    expect(grid.getAttribute('aria-rowcount')).toBe('14286');
    // rows 0..(ceil(600/108)+2 = 8) → 8 rows × 7 = 56 cells.
    expect(screen.getAllByRole('gridcell')).toHaveLength(56);
    expect(onRange).toHaveBeenLastCalledWith(0, 56);
    grid.scrollTop = 108 * 5000;
    fireEvent.scroll(grid);
    expect(screen.getByText('item 35000')).toBeTruthy();
    expect(screen.queryByText('item 0')).toBeNull();
    expect(screen.getAllByRole('gridcell').length).toBeLessThan(100);
  });
});
