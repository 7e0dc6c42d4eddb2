import type { SplitPart } from '../../shared/contract/catalog';
import { createRandom } from '../../shared/random/seeded-random';

export interface SplitItem {
  id: number;
  /** Every group the image belongs to (patient, exam, source ids); images sharing one stay together. */
  groups: readonly string[];
  /** The class the split stratifies on, or null when unlabeled. */
  label: string | null;
}

export type SplitRatios = Record<SplitPart, number>;
export const PARTS: readonly SplitPart[] = ['train', 'validation', 'test'];

/** Connected components of images linked by any shared group; an ungrouped image is its own component. */
export const groupComponents = (items: readonly SplitItem[]): number[][] => {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const firstWithGroup = new Map<string, number>();
  items.forEach((item, i) => {
    for (const group of item.groups) {
      const other = firstWithGroup.get(group);
      if (other === undefined) firstWithGroup.set(group, i);
      else parent[find(i)] = find(other);
    }
  });
  const components = new Map<number, number[]>();
  items.forEach((_, i) => {
    const root = find(i);
    const members = components.get(root);
    if (members) members.push(i);
    else components.set(root, [i]);
  });
  return [...components.values()];
};

/**
 * Group-aware stratified split. Components (images linked by patient/exam/source) are placed whole,
 * largest first (ties in seeded random order), each into the part whose share of the component's
 * majority class is furthest below its target, then the part furthest below its overall target.
 * Same items, ratios and seed → the same assignment.
 */
export const buildSplit = (
  items: readonly SplitItem[],
  ratios: SplitRatios,
  seed: number,
): Map<number, SplitPart> => {
  const random = createRandom(seed);
  const components = groupComponents(items).map((members) => {
    const counts = new Map<string, number>();
    for (const m of members) {
      const label = items[m]!.label ?? '\u0000unlabeled';
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const main = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    return { members, main, order: random.next() };
  });
  components.sort((a, b) => b.members.length - a.members.length || a.order - b.order);
  const classTotal = new Map<string, number>();
  for (const c of components) classTotal.set(c.main, (classTotal.get(c.main) ?? 0) + c.members.length);
  const placed = Object.fromEntries(
    PARTS.map((p) => [p, { total: 0, byClass: new Map<string, number>() }]),
  ) as Record<SplitPart, { total: number; byClass: Map<string, number> }>;
  const parts = PARTS.filter((p) => ratios[p] > 0);
  const result = new Map<number, SplitPart>();
  for (const component of components) {
    const size = component.members.length;
    const classSize = classTotal.get(component.main)!;
    let best = parts[0]!;
    let bestScore = -Infinity;
    for (const part of parts) {
      const classGap =
        (ratios[part] * classSize - (placed[part].byClass.get(component.main) ?? 0)) / classSize;
      const totalGap = (ratios[part] * items.length - placed[part].total) / items.length;
      const score = classGap + 0.5 * totalGap;
      if (score > bestScore + 1e-12) {
        best = part;
        bestScore = score;
      }
    }
    placed[best].total += size;
    placed[best].byClass.set(component.main, (placed[best].byClass.get(component.main) ?? 0) + size);
    for (const m of component.members) result.set(items[m]!.id, best);
  }
  return result;
};
