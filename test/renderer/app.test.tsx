// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../renderer/api-context';
import { App } from '../../renderer/app';
import { createFakeApi } from './fake-api';
import { createFakeCatalog } from './fake-catalog';

afterEach(cleanup);

describe('App shell', () => {
  it('opens on the catalog, switches sections with Alt+digit and shows catalog facts in the status bar', async () => {
    window.localStorage.clear();
    const catalog = createFakeCatalog({ images: 12 });
    render(
      <ApiProvider value={createFakeApi(catalog.answers).api}>
        <App transport="browser-ws" connection="open" />
      </ApiProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Catalog' })).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByTestId('status-catalog').textContent).toBe(
        'busi: 12 images · catalog 12 in 1 dataset',
      ),
    );
    await waitFor(() => expect(screen.getByTestId('status-backend').textContent).toBe('Backend: wasm'));
    const path = screen.getByTestId('status-catalog-path');
    expect(path.textContent).toBe('default · …/share/sonofuse/default/catalog.db');
    expect(path.getAttribute('title')).toBe(
      'Catalog database: /home/sonographer/.local/share/sonofuse/default/catalog.db',
    );
    for (const [key, heading] of [
      ['3', 'Import'],
      ['4', 'Label tasks'],
      ['2', 'Labeling'],
      ['1', 'Catalog'],
    ] as const) {
      await act(async () => {
        fireEvent.keyDown(window, { key, altKey: true });
      });
      expect(screen.getByRole('heading', { level: 2, name: heading })).toBeTruthy();
      expect(screen.getByRole('button', { name: heading, current: 'page' })).toBeTruthy();
    }
  });
});
