/** One class of a task definition, with its optional parent (hierarchy such as brain › trans-thalamic). */
export interface ClassLine {
  name: string;
  parent: string | null;
}

/**
 * Parses a class list typed one per line; `parent > child` makes a child class (its parent is
 * added first if missing). Blank lines and repeats are dropped; order is kept.
 */
export const parseClassList = (text: string): ClassLine[] => {
  const out: ClassLine[] = [];
  const seen = new Set<string>();
  const add = (name: string, parent: string | null): void => {
    if (!name || seen.has(name)) return;
    seen.add(name);
    out.push({ name, parent });
  };
  for (const raw of text.split('\n')) {
    const parts = raw
      .split('>')
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length === 0) continue;
    if (parts.length === 1) add(parts[0]!, null);
    else {
      const parent = parts[parts.length - 2]!;
      add(parent, parts.length > 2 ? parts[parts.length - 3]! : null);
      add(parts[parts.length - 1]!, parent);
    }
  }
  return out;
};
