import { describe, expect, it } from 'vitest';
import { AugmentConfig, AugmentStep, STEP_KINDS } from '../../../../shared/augment/augment-config';
import {
  buildPreset,
  paperResizeFor,
  PRESET_LABELS,
  PRESET_NAMES,
} from '../../../../shared/augment/augment-presets';

describe('AugmentConfig', () => {
  it('fills defaults and round-trips through JSON', () => {
    const c = AugmentConfig.parse({ steps: [{ kind: 'hflip' }, { kind: 'rotation', degrees: 10 }] });
    expect(c.outputSize).toBe(224);
    expect(c.source).toEqual({ size: 256, fit: 'contain', grayscale: true });
    expect(c.normalize).toEqual({ mode: 'range', min: -1, max: 1 });
    expect(c.steps[0]).toEqual({ kind: 'hflip', p: 0.5 });
    expect(c.steps[1]).toMatchObject({ p: 1, center: 'image', fill: 'constant', fillValue: 0 });
    expect(AugmentConfig.parse(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it('rejects bad values', () => {
    const bad = [
      { steps: [{ kind: 'hflip', p: 1.5 }] },
      { steps: [{ kind: 'brightness', range: [1.2, 0.8] }] },
      { steps: [{ kind: 'twirl' }] },
      { steps: [{ kind: 'rotation', degrees: 200 }] },
      { outputSize: 0, steps: [] },
      { steps: [], sector: { overlayRects: [{ x0: 0.5, y0: 0, x1: 0.2, y1: 1 }] } },
    ];
    for (const b of bad) expect(AugmentConfig.safeParse(b).success, JSON.stringify(b)).toBe(false);
  });

  it('STEP_KINDS lists every step kind of the union', () => {
    const kinds = AugmentStep.options.map((o) => o.shape.kind.value);
    expect([...STEP_KINDS].sort()).toEqual([...kinds].sort());
  });
});

describe('presets', () => {
  it('paper = Resize 244 → Rotation ±15° → Crop 224 (H/V flips only when the task allows them)', () => {
    expect(buildPreset('paper').steps.map((s) => s.kind)).toEqual(['resize', 'rotation', 'crop']);
    expect(PRESET_LABELS.paper).not.toMatch(/flip/i);
    const p = buildPreset('paper', { horizontalFlip: true, verticalFlip: true });
    expect(p.steps.map((s) => s.kind)).toEqual(['resize', 'rotation', 'crop', 'hflip', 'vflip']);
    expect(p.steps[0]).toMatchObject({ size: 244, keepAspect: true });
    expect(p.steps[1]).toMatchObject({ degrees: 15 });
    expect(p.steps[2]).toMatchObject({ size: 224 });
    expect(p.outputSize).toBe(224);
  });

  it('keeps the 244/224 margin at 160 px and honours the flip switch', () => {
    const p = buildPreset('paper', { outputSize: 160, horizontalFlip: false, verticalFlip: false });
    expect(paperResizeFor(160)).toBe(174); // 160 · 244 / 224 = 174.3
    expect(p.steps.map((s) => s.kind)).toEqual(['resize', 'rotation', 'crop']);
    expect(p.steps[2]).toMatchObject({ size: 160 });
  });

  it('ultrasound-default has no flips unless the task allows them, and masks outside the sector', () => {
    const u = buildPreset('ultrasound-default');
    expect(u.steps.some((s) => s.kind === 'hflip' || s.kind === 'vflip')).toBe(false);
    expect(u.sector.maskOutside).toBe(true);
    expect(
      buildPreset('ultrasound-default', { horizontalFlip: true }).steps.some((s) => s.kind === 'hflip'),
    ).toBe(true);
  });

  it('every preset is a valid config; none only resizes', () => {
    for (const name of PRESET_NAMES) expect(AugmentConfig.safeParse(buildPreset(name)).success).toBe(true);
    expect(buildPreset('none').steps).toEqual([{ kind: 'resize', size: 224, keepAspect: false }]);
  });
});
