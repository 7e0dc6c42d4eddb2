/** Zoom, pan and window/level of the image viewer, as a pure reducer (tested without a DOM). */
export interface ViewerState {
  zoom: number;
  panX: number;
  panY: number;
  /** CSS brightness factor (level): 1 = unchanged. */
  brightness: number;
  /** CSS contrast factor (window): 1 = unchanged. */
  contrast: number;
}

export type ViewerAction =
  | { type: 'zoom'; factor: number; anchorX?: number; anchorY?: number }
  | { type: 'pan'; dx: number; dy: number }
  | { type: 'window'; brightness?: number; contrast?: number }
  /** Relative window/level change (keyboard). */
  | { type: 'step'; brightness?: number; contrast?: number }
  | { type: 'reset' };

export const initialViewer: ViewerState = { zoom: 1, panX: 0, panY: 0, brightness: 1, contrast: 1 };

export const ZOOM_LIMITS = { min: 0.25, max: 16 } as const;
export const WINDOW_LIMITS = { min: 0.2, max: 4 } as const;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * Zooming keeps the anchor point (the pointer, relative to the viewport centre) fixed on screen:
 * the pan is scaled by the same factor around it.
 */
export const viewerReducer = (state: ViewerState, action: ViewerAction): ViewerState => {
  switch (action.type) {
    case 'zoom': {
      const zoom = clamp(state.zoom * action.factor, ZOOM_LIMITS.min, ZOOM_LIMITS.max);
      const applied = zoom / state.zoom;
      const ax = action.anchorX ?? 0;
      const ay = action.anchorY ?? 0;
      return {
        ...state,
        zoom,
        panX: ax - (ax - state.panX) * applied,
        panY: ay - (ay - state.panY) * applied,
      };
    }
    case 'pan':
      return { ...state, panX: state.panX + action.dx, panY: state.panY + action.dy };
    case 'window':
      return {
        ...state,
        brightness: clamp(action.brightness ?? state.brightness, WINDOW_LIMITS.min, WINDOW_LIMITS.max),
        contrast: clamp(action.contrast ?? state.contrast, WINDOW_LIMITS.min, WINDOW_LIMITS.max),
      };
    case 'step':
      return viewerReducer(state, {
        type: 'window',
        brightness: state.brightness + (action.brightness ?? 0),
        contrast: state.contrast + (action.contrast ?? 0),
      });
    case 'reset':
      return initialViewer;
  }
};
