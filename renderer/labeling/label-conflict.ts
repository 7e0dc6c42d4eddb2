import type { LabelConflict } from '../../shared/contract/index';

/** How a person answers a refused (stale) label write. */
export type ConflictChoice = 'keep-theirs' | 'replace' | 'label-both';

/** "just now", "2 min ago", "3 h ago", "2 days ago" (a time in the future reads "just now"). */
export const timeAgo = (at: string | null, now: number): string => {
  if (!at) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (!Number.isFinite(seconds) || seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
};

/** "labelled benign by A. Rossi 2 min ago" (or "cleared by …" when the other write removed every label). */
export const describeConflict = (conflict: LabelConflict, now: number): string => {
  const what = conflict.labels.length > 0 ? `labelled ${conflict.labels.join(', ')}` : 'cleared';
  const who = conflict.by ? ` by ${conflict.by}` : ' on another workstation';
  const when = timeAgo(conflict.at, now);
  return `${what}${who}${when ? ` ${when}` : ''}`;
};

/**
 * The answers offered: keep theirs, replace (mine, rewritten on the version now stored), and for a
 * multi-label task "label both" (the union). A single-label task cannot hold both labels: the
 * choice is left out there (a disagreement between raters belongs to a task that asks for several
 * raters, where each rater's label is kept apart and never conflicts).
 */
export const conflictChoices = (kind: 'single' | 'multi'): ConflictChoice[] =>
  kind === 'multi' ? ['keep-theirs', 'replace', 'label-both'] : ['keep-theirs', 'replace'];

/**
 * The write a choice makes: null for "keep theirs" (nothing to write), otherwise the labels and
 * the base version the conflict reported (so the rewrite is itself checked against later writes).
 */
export const resolveConflict = (
  choice: ConflictChoice,
  conflict: LabelConflict,
  mine: readonly string[],
): { labels: string[]; baseVersion: number } | null => {
  if (choice === 'keep-theirs') return null;
  const labels = choice === 'replace' ? [...mine] : [...new Set([...conflict.labels, ...mine])];
  return { labels, baseVersion: conflict.version };
};
