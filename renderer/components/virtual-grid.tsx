import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualGridProps {
  itemCount: number;
  itemWidth: number;
  itemHeight: number;
  gap?: number;
  /** Extra rows rendered above and below the viewport, so fast scrolling shows no blank rows. */
  overscanRows?: number;
  renderItem: (index: number) => ReactNode;
  /** Called with the visible index range [start, end) whenever it changes: fetch pages here. */
  onRangeChange?: (start: number, end: number) => void;
  /** Size before the first measurement (and in tests, where there is no layout). */
  initialSize?: { width: number; height: number };
  label: string;
  /** Index that should be scrolled into view (e.g. the keyboard focus). */
  scrollToIndex?: number;
}

/** Rows and columns of a grid of `count` fixed-size cells in a viewport `width` wide. */
export const gridLayout = (count: number, width: number, itemWidth: number, gap: number) => {
  const columns = Math.max(1, Math.floor((width + gap) / (itemWidth + gap)));
  const rows = Math.ceil(count / columns);
  return { columns, rows };
};

/** The index range [start, end) to render for a scroll position. */
export const visibleRange = (
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  columns: number,
  count: number,
  overscan: number,
): { start: number; end: number; firstRow: number } => {
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const lastRow = Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan;
  return { start: Math.min(count, firstRow * columns), end: Math.min(count, lastRow * columns), firstRow };
};

/**
 * A windowed grid: only the cells in (and near) the viewport exist in the DOM, so 100,000 items
 * cost the same as 100. Cells are absolutely positioned inside a spacer of the full height.
 */
export const VirtualGrid = (props: VirtualGridProps) => {
  const { itemCount, itemWidth, itemHeight, renderItem, onRangeChange, label, scrollToIndex } = props;
  const gap = props.gap ?? 8;
  const overscan = props.overscanRows ?? 2;
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState(props.initialSize ?? { width: 800, height: 600 });
  const [scrollTop, setScrollTop] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (el.clientWidth > 0) setSize({ width: el.clientWidth, height: el.clientHeight });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const rowHeight = itemHeight + gap;
  const { columns, rows } = gridLayout(itemCount, size.width, itemWidth, gap);
  const { start, end } = visibleRange(scrollTop, size.height, rowHeight, columns, itemCount, overscan);

  useEffect(() => {
    onRangeChange?.(start, end);
  }, [start, end, onRangeChange]);

  useEffect(() => {
    const el = ref.current;
    if (!el || scrollToIndex === undefined || scrollToIndex < 0) return;
    const top = Math.floor(scrollToIndex / columns) * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + size.height) el.scrollTop = top + rowHeight - size.height;
  }, [scrollToIndex, columns, rowHeight, size.height]);

  const onScroll = useCallback(() => setScrollTop(ref.current?.scrollTop ?? 0), []);

  const cells: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const row = Math.floor(i / columns);
    const col = i % columns;
    cells.push(
      <div
        key={i}
        role="gridcell"
        aria-rowindex={row + 1}
        aria-colindex={col + 1}
        className="vgrid-cell"
        style={{
          position: 'absolute',
          top: row * rowHeight,
          left: col * (itemWidth + gap),
          width: itemWidth,
          height: itemHeight,
        }}
      >
        {renderItem(i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="vgrid"
      onScroll={onScroll}
      role="grid"
      aria-label={label}
      aria-rowcount={rows}
      aria-colcount={columns}
      tabIndex={0}
    >
      <div style={{ position: 'relative', height: rows * rowHeight }} role="presentation">
        {cells}
      </div>
    </div>
  );
};
