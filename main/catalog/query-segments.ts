import type { QueryCache } from './query-cache';

/**
 * One run of a sorted result whose rows all share a sort key (images labelled with the same first
 * class; images with or without a metadata key), each paged by its own index-friendly ORDER BY.
 * Concatenated in order, the segments give the whole sorted result.
 */
export interface Segment {
  /** Cache key of the segment's size (its SQL and parameters). */
  key: string;
  /** Counts the segment's rows. */
  count(): number;
  /**
   * Ids of the segment's rows `[offset, offset + limit)`, in order; with `fromEnd`, `offset` counts
   * from the segment's end (the query runs in the reverse direction, so a deep OFFSET stays short).
   */
  page(limit: number, offset: number, fromEnd?: boolean): number[];
}

/**
 * Ids of rows `[offset, offset + limit)` across `segments`, counting as few segments as it can, at
 * most once per catalog version: a page in the first half of the result counts the segments before
 * it, one in the second half those from it to the end (`total`, all segments together, gives the
 * rest); the first page counts nothing; a segment's size learnt by paging past its end is kept.
 * `total` also stops the walk once the page is complete, so empty trailing segments cost nothing.
 */
export const pageSegments = (
  cache: QueryCache,
  segments: readonly Segment[],
  range: { offset: number; limit: number; total: number },
): number[] => {
  const wanted = Math.max(0, Math.min(range.limit, range.total - range.offset));
  if (wanted === 0) return [];
  const size = (segment: Segment): number => cache.get(segment.key, segment.count);
  let index = 0;
  let skip = range.offset;
  if (range.offset > range.total / 2) {
    // Fewer rows follow the page than precede it: find its segment from the end.
    let start = range.total;
    for (index = segments.length - 1; index > 0; index--) {
      start -= size(segments[index]!);
      if (start <= range.offset) break;
    }
    // Reaching the first segment, what is left of the total is its size: no count needed.
    if (index === 0) cache.set(segments[0]!.key, start);
    skip = range.offset - (index === 0 ? 0 : start);
  }
  const ids: number[] = [];
  for (; index < segments.length && ids.length < wanted; index++) {
    const segment = segments[index]!;
    const known = cache.peek<number>(segment.key);
    if (known === 0) continue;
    const want = wanted - ids.length;
    if (skip > 0) {
      // The last segment holds whatever the total leaves after the segments before it.
      const last = index === segments.length - 1;
      const rows = known ?? (last ? range.total - (range.offset - skip) : size(segment));
      if (skip >= rows) {
        skip -= rows;
        continue;
      }
      if (skip > rows / 2) {
        // Past the middle: read the page backwards from the segment's end.
        const take = Math.min(want, rows - skip);
        ids.push(...segment.page(take, rows - skip - take, true));
        skip = 0;
        continue;
      }
    }
    const rows = segment.page(want, skip);
    // Fewer rows than asked: the segment ends here, so its size is now known without a count.
    if (rows.length < want && known === undefined) cache.set(segment.key, skip + rows.length);
    ids.push(...rows);
    skip = 0;
  }
  return ids;
};
