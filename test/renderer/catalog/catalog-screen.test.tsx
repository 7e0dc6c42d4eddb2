// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CatalogScreen } from '../../../renderer/catalog/catalog-screen';
import { parseMetadataFilter } from '../../../renderer/catalog/catalog-filters';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const setup = () => {
  const catalog = createFakeCatalog({ images: 30 });
  catalog.answers['catalog:setLabels']!({
    imageId: 1,
    task: 'label',
    labels: ['benign'],
    user: 'bob',
    reason: '',
  });
  catalog.answers['catalog:setLabels']!({
    imageId: 2,
    task: 'label',
    labels: ['normal'],
    user: 'bob',
    reason: '',
  });
  const fake = createFakeApi(catalog.answers);
  const onOpen = vi.fn();
  renderScreen(<CatalogScreen onOpen={onOpen} onImport={() => {}} />, fake.api);
  const calls = (channel: string) => fake.received.filter((r) => r.channel === channel).map((r) => r.input);
  return { ...fake, catalog, onOpen, calls };
};

describe('CatalogScreen', () => {
  it('shows thumbnails by id through the media URL, counts per class and the result count', async () => {
    setup();
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    const listbox = screen.getByRole('listbox', { name: 'Images' });
    expect(listbox.getAttribute('aria-multiselectable')).toBe('true');
    const first = await screen.findByRole('option', { name: 'img-001.png: benign' });
    expect(first.querySelector('img')!.getAttribute('src')).toBe('media/thumb/1?token=t0ken');
    await waitFor(() => expect(screen.getByTestId('count-unlabeled').textContent).toBe('28'));
    expect(screen.getByRole('button', { name: /benign 1/ })).toBeTruthy();
  });

  it('filters: "Unlabeled only" and the note search reach catalog:images', async () => {
    const { calls } = setup();
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Unlabeled only' }));
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('28 images'));
    expect(calls('catalog:images').at(-1)).toMatchObject({
      datasetId: 1,
      task: 'label',
      unlabeled: true,
      offset: 0,
    });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Note contains' }), { target: { value: 'mass' } });
    await waitFor(
      () => expect(calls('catalog:images').at(-1)).toMatchObject({ text: 'mass', unlabeled: true }),
      {
        timeout: 2000,
      },
    );
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('0 images'));
  });

  it('the "Review flag" filter sends flagged to catalog:images; tags use the colours stored in the task', async () => {
    const { calls, catalog } = setup();
    catalog.tasks[0]!.classes[0]!.colour = '#123456';
    catalog.answers['catalog:setFlag']!({ imageId: 5, flagged: true, user: 'bob', reason: 'gain' });
    catalog.answers['catalog:setFlag']!({ imageId: 9, flagged: true, user: 'bob', reason: '' });
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    const flag = screen.getByRole('combobox', { name: 'Review flag' });
    fireEvent.change(flag, { target: { value: 'yes' } });
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('2 images'));
    expect(calls('catalog:images').at(-1)).toMatchObject({ datasetId: 1, flagged: true });
    fireEvent.change(flag, { target: { value: 'no' } });
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('28 images'));
    expect(calls('catalog:images').at(-1)).toMatchObject({ flagged: false });
    const tag = (await screen.findByRole('option', { name: 'img-001.png: benign' })).querySelector(
      '.label-tag',
    );
    expect((tag as HTMLElement).style.color).toBe('rgb(18, 52, 86)');
    fireEvent.change(flag, { target: { value: '' } });
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    expect(calls('catalog:images').at(-1)).not.toHaveProperty('flagged');
  });

  it('keyboard: arrows move, Space selects, a class key bulk-labels the selection, Enter opens', async () => {
    const { calls, catalog, onOpen } = setup();
    const listbox = await screen.findByRole('listbox', { name: 'Images' });
    await screen.findByRole('option', { name: 'img-003.png: unlabeled' });
    const press = (key: string, extra: Partial<KeyboardEventInit> = {}) =>
      act(async () => {
        fireEvent.keyDown(listbox, { key, ...extra });
      });
    // The list opens on the first unlabeled image (img-001 and img-002 are labelled).
    await waitFor(() => expect(listbox.getAttribute('aria-activedescendant')).toBe('catalog-item-2'));
    await press(' ');
    await press('ArrowRight');
    await press(' ');
    expect(screen.getByTestId('result-count').textContent).toBe('30 images · 2 selected');
    await press('2');
    expect(calls('catalog:bulkRelabel')).toEqual([
      {
        datasetId: 1,
        task: 'label',
        imageIds: [3, 4],
        to: ['malignant'],
        user: 'alice',
        reason: 'bulk label from the catalog',
        baseVersions: [
          { imageId: 3, version: 0 },
          { imageId: 4, version: 0 },
        ],
      },
    ]);
    expect(catalog.labelsOf('label', 4)).toEqual(['malignant']);
    await waitFor(() =>
      expect(screen.getByRole('status', { name: '' }).textContent).toContain(
        'Labelled 2 images as malignant.',
      ),
    );
    await press('Enter');
    expect(onOpen).toHaveBeenCalledTimes(1);
    await act(async () => {
      fireEvent.keyDown(window, { key: '?' });
    });
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(help.textContent).toContain('Select or unselect the focused image');
    expect(help.textContent).toContain('Space');
  });

  it('Shift+click selects the range from the last clicked image; Ctrl+click toggles one', async () => {
    setup();
    const hit = async (name: string) =>
      (await screen.findByRole('option', { name })).querySelector('.cell-hit') as HTMLElement;
    fireEvent.click(await hit('img-005.png: unlabeled'));
    fireEvent.click(await hit('img-009.png: unlabeled'), { shiftKey: true });
    expect(screen.getByTestId('result-count').textContent).toBe('30 images · 5 selected');
    fireEvent.click(await hit('img-007.png: unlabeled'), { ctrlKey: true });
    expect(screen.getByTestId('result-count').textContent).toBe('30 images · 4 selected');
    // A range upwards from the new anchor (7) adds 3…7.
    fireEvent.click(await hit('img-003.png: unlabeled'), { shiftKey: true });
    expect(screen.getByTestId('result-count').textContent).toBe('30 images · 7 selected');
  });

  it('clears a notice when the context changes (a filter here)', async () => {
    setup();
    const listbox = await screen.findByRole('listbox', { name: 'Images' });
    await screen.findByRole('option', { name: 'img-003.png: unlabeled' });
    await act(async () => {
      fireEvent.keyDown(listbox, { key: ' ' });
    });
    await act(async () => {
      fireEvent.keyDown(listbox, { key: '2' });
    });
    await waitFor(() =>
      expect(screen.getByTestId('catalog-notice').textContent).toBe('Labelled 1 image as malignant.'),
    );
    fireEvent.click(screen.getByRole('checkbox', { name: 'Unlabeled only' }));
    await waitFor(() => expect(screen.getByTestId('catalog-notice').textContent).toBe(''));
  });

  it('shows a failing query as an error with a retry, not a blank grid', async () => {
    const catalog = createFakeCatalog();
    catalog.answers['catalog:images'] = () => ({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'catalog is closed' },
    });
    renderScreen(<CatalogScreen onOpen={() => {}} onImport={() => {}} />, createFakeApi(catalog.answers).api);
    expect((await screen.findByRole('alert')).textContent).toContain('catalog is closed');
  });

  it('parses metadata conditions', () => {
    expect(parseMetadataFilter('age>=30')).toEqual({ key: 'age', min: 30 });
    expect(parseMetadataFilter('date<=2020-01-01')).toEqual({ key: 'date', max: '2020-01-01' });
    expect(parseMetadataFilter('view=PA, AP')).toEqual({ key: 'view', values: ['PA', 'AP'] });
    expect(parseMetadataFilter('nonsense')).toBeNull();
  });
});
