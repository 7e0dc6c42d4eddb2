import { useRef, type Dispatch } from 'react';
import type { ViewerAction, ViewerState } from '../labeling/viewer-state';

export interface ImageViewerProps {
  src: string;
  alt: string;
  state: ViewerState;
  dispatch: Dispatch<ViewerAction>;
}

/**
 * The large image of the labeling view: wheel zooms around the pointer, dragging pans, and the
 * window/level sliders (with their values) change contrast/brightness for display only (the
 * stored image is never altered); − and + buttons zoom about the centre. State lives in the parent so keyboard shortcuts can drive it too.
 */
/** One click of the zoom buttons (the wheel's step). */
const ZOOM_STEP = 1.15;

export const ImageViewer = ({ src, alt, state, dispatch }: ImageViewerProps) => {
  const drag = useRef<{ x: number; y: number } | null>(null);
  return (
    <div className="viewer">
      <div
        className="viewer-stage"
        onWheel={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          dispatch({
            type: 'zoom',
            factor: e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP,
            anchorX: e.clientX - rect.left - rect.width / 2,
            anchorY: e.clientY - rect.top - rect.height / 2,
          });
        }}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX, y: e.clientY };
          e.currentTarget.setPointerCapture?.(e.pointerId);
        }}
        onPointerMove={(e) => {
          if (!drag.current) return;
          dispatch({ type: 'pan', dx: e.clientX - drag.current.x, dy: e.clientY - drag.current.y });
          drag.current = { x: e.clientX, y: e.clientY };
        }}
        onPointerUp={() => (drag.current = null)}
        onPointerCancel={() => (drag.current = null)}
      >
        <img
          src={src}
          alt={alt}
          draggable={false}
          style={{
            transform: `translate(${state.panX}px, ${state.panY}px) scale(${state.zoom})`,
            filter: `brightness(${state.brightness}) contrast(${state.contrast})`,
          }}
        />
      </div>
      <div className="viewer-controls">
        <label>
          Level
          <input
            type="range"
            min={0.2}
            max={4}
            step={0.05}
            value={state.brightness}
            onChange={(e) => dispatch({ type: 'window', brightness: Number(e.target.value) })}
          />
          <output className="viewer-value" data-testid="level-value">
            {state.brightness.toFixed(2)}×
          </output>
        </label>
        <label>
          Window
          <input
            type="range"
            min={0.2}
            max={4}
            step={0.05}
            value={state.contrast}
            onChange={(e) => dispatch({ type: 'window', contrast: Number(e.target.value) })}
          />
          <output className="viewer-value" data-testid="window-value">
            {state.contrast.toFixed(2)}×
          </output>
        </label>
        <span className="viewer-zoom" role="group" aria-label="Zoom">
          <button
            type="button"
            className="button small"
            aria-label="Zoom out"
            onClick={() => dispatch({ type: 'zoom', factor: 1 / ZOOM_STEP })}
          >
            −
          </button>
          <span className="muted" aria-live="polite" data-testid="zoom-value">
            {Math.round(state.zoom * 100)}%
          </span>
          <button
            type="button"
            className="button small"
            aria-label="Zoom in"
            onClick={() => dispatch({ type: 'zoom', factor: ZOOM_STEP })}
          >
            +
          </button>
        </span>
        <button type="button" className="button" onClick={() => dispatch({ type: 'reset' })}>
          Reset view
        </button>
      </div>
    </div>
  );
};
