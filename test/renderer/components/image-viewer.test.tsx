// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useReducer } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageViewer } from '../../../renderer/components/image-viewer';
import { initialViewer, viewerReducer } from '../../../renderer/labeling/viewer-state';

afterEach(cleanup);

const Viewer = () => {
  const [state, dispatch] = useReducer(viewerReducer, initialViewer);
  return <ImageViewer src="media/image/1" alt="Image 1" state={state} dispatch={dispatch} />;
};

describe('ImageViewer', () => {
  it('shows the window and level values beside their sliders', () => {
    render(<Viewer />);
    expect(screen.getByTestId('level-value').textContent).toBe('1.00×');
    fireEvent.change(screen.getByRole('slider', { name: /Window/ }), { target: { value: '1.5' } });
    expect(screen.getByTestId('window-value').textContent).toBe('1.50×');
  });

  it('zooms with − and + buttons (the wheel step, 1.15×)', () => {
    render(<Viewer />);
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(screen.getByTestId('zoom-value').textContent).toBe('115%');
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(screen.getByTestId('zoom-value').textContent).toBe('87%');
    expect(screen.getByRole('img', { name: 'Image 1' }).style.transform).toMatch(/scale\(0\.869/);
  });
});
