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
    const catalog = createFakeCatalog({ images: 12, userName: 'alice' });
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

  const mountApp = (catalog: ReturnType<typeof createFakeCatalog>) => {
    const fake = createFakeApi(catalog.answers);
    const view = render(
      <ApiProvider value={fake.api}>
        <App transport="browser-ws" connection="open" />
      </ApiProvider>,
    );
    const calls = (channel: string) => fake.received.filter((r) => r.channel === channel).map((r) => r.input);
    return { ...fake, view, calls };
  };

  it("asks the labeller's name once per workspace (never 'sonographer'), records it, shows it in the status bar", async () => {
    window.localStorage.clear();
    const catalog = createFakeCatalog({ images: 12 });
    const first = mountApp(catalog);
    const dialog = await screen.findByRole('dialog', { name: 'Who is labelling?' });
    // It cannot be dismissed without a name: Escape keeps it open, and no shortcut reaches the app.
    fireEvent.keyDown(dialog, { key: 'Escape' });
    fireEvent.keyDown(window, { key: '3', altKey: true });
    expect(screen.getByRole('dialog', { name: 'Who is labelling?' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Catalog' })).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Your name' }), {
      target: { value: 'Dr Ana Reis' },
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(first.calls('catalog:setUserName')).toEqual([{ name: 'Dr Ana Reis' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('status-labeller').textContent).toContain('Labeller: Dr Ana Reis');
    first.view.unmount();
    // The next start of the same workspace knows the name: no question.
    mountApp(catalog);
    await waitFor(() => expect(screen.getByTestId('status-labeller').textContent).toContain('Dr Ana Reis'));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Change' }));
    expect(screen.getByRole('dialog', { name: 'Change the labeller' })).toBeTruthy();
  });

  it('Ctrl+Z on the Catalog, even from the "Note contains" field, undoes the last bulk label (not the text)', async () => {
    window.localStorage.clear();
    const catalog = createFakeCatalog({ images: 12, userName: 'alice' });
    const { calls } = mountApp(catalog);
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('12 images'));
    const listbox = screen.getByRole('listbox', { name: 'Images' });
    await screen.findByRole('option', { name: 'img-001.png: unlabeled' });
    await waitFor(() => expect(listbox.getAttribute('aria-activedescendant')).toBe('catalog-item-0'));
    await act(async () => {
      fireEvent.keyDown(listbox, { key: ' ' });
    });
    await waitFor(() =>
      expect(screen.getByTestId('result-count').textContent).toBe('12 images · 1 selected'),
    );
    await act(async () => {
      fireEvent.keyDown(listbox, { key: '2' });
    });
    await waitFor(() => expect(catalog.labelsOf('label', 1)).toEqual(['malignant']));
    const search = screen.getByRole('searchbox', { name: 'Note contains' });
    search.focus();
    await act(async () => {
      fireEvent.keyDown(search, { key: 'z', ctrlKey: true });
    });
    await waitFor(() => expect(catalog.labelsOf('label', 1)).toEqual([]));
    expect(calls('catalog:undo')).toEqual([{ user: 'alice', batchId: 1 }]);
    await waitFor(() =>
      expect(screen.getByTestId('status-undo').textContent).toBe(
        'Undid: Labelled 1 image as malignant (1 change).',
      ),
    );
  });

  it('a reload returns to the section the user was in', async () => {
    window.localStorage.clear();
    const catalog = createFakeCatalog({ images: 12, userName: 'alice' });
    const first = mountApp(catalog);
    await act(async () => {
      fireEvent.keyDown(window, { key: '2', altKey: true });
    });
    expect(screen.getByRole('heading', { level: 2, name: 'Labeling' })).toBeTruthy();
    first.view.unmount();
    mountApp(catalog);
    expect(screen.getByRole('heading', { level: 2, name: 'Labeling' })).toBeTruthy();
  });

  it('a restart (new browser origin: empty localStorage) returns to the screen and image kept in the catalog', async () => {
    window.localStorage.clear();
    const catalog = createFakeCatalog({ images: 12, userName: 'alice' });
    const first = mountApp(catalog);
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('12 images'));
    await act(async () => {
      fireEvent.keyDown(window, { key: '2', altKey: true });
    });
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    for (const _ of [1, 2])
      await act(async () => {
        fireEvent.keyDown(window, { key: 'ArrowRight' });
      });
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-003.png'));
    await waitFor(() =>
      expect(catalog.settings.view).toMatchObject({
        datasetId: 1,
        section: 'labeling',
        positions: { '1:label': { index: 2, imageId: 3 } },
      }),
    );
    first.view.unmount();
    window.localStorage.clear();
    mountApp(catalog);
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: 'Labeling' })).toBeTruthy());
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-003.png'));
    expect(screen.getByTestId('position').textContent).toBe('3 / 12');
  });
});
