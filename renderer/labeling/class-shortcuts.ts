/** Letters the labeling view keeps for its own actions (skip, flag, next, previous, undo, zoom). */
export const RESERVED_LETTERS = new Set(['s', 'f', 'n', 'p', 'u', 'z', 'r', 'h']);

/**
 * The key that selects the class at `index`: 1-9 for the first nine classes, then letters a-z
 * that the view does not reserve, in order. Beyond that, no key (the button still works).
 */
export const shortcutForClass = (index: number): string | null => {
  if (index < 9) return String(index + 1);
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('').filter((l) => !RESERVED_LETTERS.has(l));
  return letters[index - 9] ?? null;
};

/** Next label value after pressing a class: single-label replaces, multi-label toggles. */
export const applyClassPress = (
  current: readonly string[],
  pressed: string,
  multiLabel: boolean,
): string[] => {
  if (!multiLabel) return current.length === 1 && current[0] === pressed ? [...current] : [pressed];
  return current.includes(pressed) ? current.filter((c) => c !== pressed) : [...current, pressed];
};
