import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

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
  /**
   * 'listbox' turns the grid into a (multi-)selectable list of options: the container carries
   * `aria-activedescendant` for `activeIndex`, and each cell `aria-selected` and a label.
   */
  role?: 'grid' | 'listbox';
  activeIndex?: number;
  /** Prefix of the cells' element ids (needed for `aria-activedescendant`). */
  idPrefix?: string;
  cellLabel?: (index: number) => string;
  isSelected?: (index: number) => boolean;
  /** Told the column count whenever the layout changes (for arrow-key navigation). */
  onColumnsChange?: (columns: number) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => void;
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
  const { activeIndex, idPrefix = 'vgrid', cellLabel, isSelected, onColumnsChange } = props;
  const listbox = props.role === 'listbox';
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
    onColumnsChange?.(columns);
  }, [columns, onColumnsChange]);

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
        id={`${idPrefix}-${i}`}
        role={listbox ? 'option' : 'gridcell'}
        aria-rowindex={listbox ? undefined : row + 1}
        aria-colindex={listbox ? undefined : col + 1}
        aria-selected={listbox ? Boolean(isSelected?.(i)) : undefined}
        aria-label={cellLabel?.(i)}
        aria-posinset={listbox ? i + 1 : undefined}
        aria-setsize={listbox ? itemCount : undefined}
        className={i === activeIndex ? 'vgrid-cell active' : 'vgrid-cell'}
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
      role={listbox ? 'listbox' : 'grid'}
      aria-label={label}
      aria-rowcount={listbox ? undefined : rows}
      aria-colcount={listbox ? undefined : columns}
      aria-multiselectable={listbox ? true : undefined}
      aria-activedescendant={
        listbox && activeIndex !== undefined && activeIndex >= start && activeIndex < end
          ? `${idPrefix}-${activeIndex}`
          : undefined
      }
      tabIndex={0}
      onKeyDown={props.onKeyDown}
    >
      <div style={{ position: 'relative', height: rows * rowHeight }} role="presentation">
        {cells}
      </div>
    </div>
  );
};
