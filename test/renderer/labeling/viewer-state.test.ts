import { describe, expect, it } from 'vitest';
import { initialViewer, viewerReducer, ZOOM_LIMITS } from '../../../renderer/labeling/viewer-state';

describe('viewer state', () => {
  it('zooms around an anchor so that point stays put on screen', () => {
    // Anchor 100 px right of centre, pan 0: after ×2 the image point under the anchor moved to
    // 200 px, so the pan must be -100 to bring it back: pan' = a - (a - pan)·2 = 100 - 200 = -100.
    const z = viewerReducer(initialViewer, { type: 'zoom', factor: 2, anchorX: 100, anchorY: 0 });
    expect(z).toMatchObject({ zoom: 2, panX: -100, panY: 0 });
    const back = viewerReducer(z, { type: 'zoom', factor: 0.5, anchorX: 100, anchorY: 0 });
    expect(back).toMatchObject({ zoom: 1, panX: 0 });
  });

  it('clamps zoom and window/level to their limits, pans additively, resets', () => {
    let s = viewerReducer(initialViewer, { type: 'zoom', factor: 1000 });
    expect(s.zoom).toBe(ZOOM_LIMITS.max);
    s = viewerReducer(s, { type: 'window', contrast: 99, brightness: 0 });
    expect([s.contrast, s.brightness]).toEqual([4, 0.2]);
    s = viewerReducer(viewerReducer(s, { type: 'pan', dx: 5, dy: -3 }), { type: 'pan', dx: 1, dy: 1 });
    expect([s.panX, s.panY]).toEqual([6, -2]);
    expect(viewerReducer(s, { type: 'reset' })).toEqual(initialViewer);
  });
});
