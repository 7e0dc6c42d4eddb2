import type { HistoryEntry } from '../../shared/contract/index';

/** History entries newest first (by id, which the catalog assigns in order). */
export const newestFirst = (history: readonly HistoryEntry[]): HistoryEntry[] =>
  [...history].sort((a, b) => b.id - a.id);

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
