import type { HistoryEntry, ImageDetail } from '../../shared/contract/index';

/** The label task used to flag images for review (the contract has no flag of its own). */
export const REVIEW_TASK = 'review';
export const REVIEW_CLASS = 'flagged';

const asList = (value: HistoryEntry['to']): string[] =>
  Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : [];

/** History entries newest first (by id, which the catalog assigns in order). */
export const newestFirst = (history: readonly HistoryEntry[]): HistoryEntry[] =>
  [...history].sort((a, b) => b.id - a.id);

/**
 * Current labels of an image for `task`: the `to` of the newest label entry of that task in its
 * history (an undo entry included), else `fallback` (the list row's labels, which the catalog
 * query computed for the same task).
 */
export const labelsForTask = (detail: ImageDetail, task: string, fallback: readonly string[]): string[] => {
  const latest = newestFirst(detail.history).find((h) => h.kind === 'label' && h.task === task);
  return latest ? asList(latest.to) : [...fallback];
};

/** "a, b" for a label value, "—" for none; notes are shortened to `max` characters. */
export const describeValue = (value: HistoryEntry['from'], max = 60): string => {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  const text = value.replace(/\s+/g, ' ').trim();
  if (!text) return '—';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** "2026-01-02 14:03" in local time, from an ISO timestamp. */
export const formatWhen = (iso: string): string => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
