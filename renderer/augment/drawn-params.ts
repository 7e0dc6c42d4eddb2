import type { DrawnParams } from '../../shared/augment/augment-config';

const round = (v: number): string => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(2));

/** "rotation angle 7.31 · hflip · crop x 12 y 4": what was applied to one tile, for its caption. */
export const describeDrawn = (params: DrawnParams): string => {
  const applied = params.steps.filter((s) => s.applied);
  if (applied.length === 0) return 'nothing applied';
  return applied
    .map((s) => {
      const values = Object.entries(s.values)
        .map(([k, v]) => `${k} ${Array.isArray(v) ? v.map(round).join('/') : round(v)}`)
        .join(' ');
      return values ? `${s.kind} ${values}` : s.kind;
    })
    .join(' · ');
};
