import type { DrawnParams, DrawnStep } from '../../shared/augment/augment-config';

const round = (v: number): string => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(2));

/** "rotation degrees 7.31 · hflip · crop x 12 y 4": the raw drawn values of one tile, on demand. */
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

/** A signed number with a true minus sign: "−4.9", "+2.0". */
const signed = (v: number, digits = 1): string =>
  `${v < 0 ? '−' : v > 0 ? '+' : ''}${Math.abs(v).toFixed(digits)}`;
const num = (s: DrawnStep, key: string): number | null => {
  const v = s.values[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const percent = (share: number): string => `${Math.round(share * 100)}%`;

const wordsFor = (s: DrawnStep): string | null => {
  switch (s.kind) {
    case 'resize':
      return null; // every image is resized: not worth a word
    case 'rotation': {
      const d = num(s, 'degrees');
      return d === null ? 'rotated' : `rotated ${signed(d)}°`;
    }
    case 'crop':
    case 'resized-crop': {
      const sector = num(s, 'sectorShare');
      const area = num(s, 'area');
      if (sector !== null) return `cropped to ${percent(sector)} of the sector`;
      return area !== null ? `cropped to ${percent(area)}` : 'cropped';
    }
    case 'hflip':
      return 'flipped left–right';
    case 'vflip':
      return 'flipped up–down';
    case 'brightness':
    case 'contrast': {
      const f = num(s, 'factor');
      return `${s.kind === 'brightness' ? 'gain' : 'contrast'} ×${f === null ? '?' : f.toFixed(2)}`;
    }
    case 'gamma': {
      const g = num(s, 'gamma');
      return `gamma ${g === null ? '?' : g.toFixed(2)}`;
    }
    case 'depth-gain': {
      const db = num(s, 'slopeDb');
      return `depth gain ${db === null ? '?' : signed(db)} dB`;
    }
    case 'speckle': {
      const sigma = num(s, 'sigma');
      return `speckle ${sigma === null ? '' : `${Math.round(sigma * 100)}%`}`.trim();
    }
    case 'blur': {
      const sigma = num(s, 'sigma');
      return `blurred ${sigma === null ? '' : `${sigma.toFixed(1)} px`}`.trim();
    }
    case 'cutout': {
      const boxes = s.values.boxes;
      const holes = Array.isArray(boxes) ? boxes.length / 4 : 1;
      return `${holes} hole${holes === 1 ? '' : 's'} cut out`;
    }
  }
};

/**
 * What happened to one tile in words, for its caption: "rotated −4.9°, cropped to 78% of the
 * sector, gain ×1.12". Steps that did not apply are left out; the raw values are `describeDrawn`.
 */
export const captionDrawn = (params: DrawnParams): string => {
  const words = params.steps
    .filter((s) => s.applied)
    .map(wordsFor)
    .filter((w): w is string => !!w);
  return words.length === 0 ? 'unchanged (resized only)' : words.join(', ');
};
