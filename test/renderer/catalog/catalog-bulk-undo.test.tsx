// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CatalogScreen } from '../../../renderer/catalog/catalog-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const setup = (
  options: Parameters<typeof createFakeCatalog>[0] = {},
  before: (catalog: ReturnType<typeof createFakeCatalog>) => void = () => {},
) => {
  const catalog = createFakeCatalog({ images: 30, ...options });
  before(catalog);
  const fake = createFakeApi(catalog.answers);
  const onEditTasks = vi.fn();
  renderScreen(<CatalogScreen onOpen={() => {}} onImport={() => {}} onEditTasks={onEditTasks} />, fake.api);
  const calls = (channel: string) => fake.received.filter((r) => r.channel === channel).map((r) => r.input);
  return { ...fake, catalog, calls, onEditTasks };
};

const gridKey = async (key: string, extra: Partial<KeyboardEventInit> = {}) => {
  const listbox = await screen.findByRole('listbox', { name: 'Images' });
  await act(async () => {
    fireEvent.keyDown(listbox, { key, ...extra });
  });
};

describe('Catalog bulk labels (issue #16 item 1)', () => {
  it('Ctrl+A then a digit asks before labelling 30 images; Escape cancels and labels nothing', async () => {
    const { calls, catalog } = setup();
    await screen.findByRole('option', { name: 'img-030.png: unlabeled' }).catch(() => undefined);
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    await gridKey('a', { ctrlKey: true });
    expect(screen.getByTestId('result-count').textContent).toMatch(/selected/);
    const selected = Number(/(\d+) selected/.exec(screen.getByTestId('result-count').textContent!)![1]);
    expect(selected).toBeGreaterThan(5);
    await gridKey('1');
    const dialog = screen.getByRole('dialog', { name: `Label ${selected} images as benign?` });
    expect(calls('catalog:bulkRelabel')).toEqual([]);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls('catalog:bulkRelabel')).toEqual([]);
    expect(catalog.labelsOf('label', 1)).toEqual([]);
  });

  it('confirmed, the change shows an Undo right there that undoes exactly that batch', async () => {
    const { calls, catalog } = setup();
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    await gridKey('a', { ctrlKey: true });
    await gridKey('2');
    const n = calls('catalog:bulkRelabel').length;
    expect(n).toBe(0);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /^Label \d+ images$/ }));
    });
    expect(calls('catalog:bulkRelabel')).toHaveLength(1);
    expect(catalog.labelsOf('label', 3)).toEqual(['malignant']);
    await waitFor(() =>
      expect(screen.getByTestId('catalog-notice').textContent).toMatch(
        /^Labelled \d+ images as malignant\.$/,
      ),
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    });
    expect(calls('catalog:undo')).toEqual([{ user: 'alice', batchId: 1 }]);
    expect(catalog.labelsOf('label', 3)).toEqual([]);
    await waitFor(() =>
      expect(screen.getByTestId('catalog-notice').textContent).toMatch(
        /^Undid: Labelled \d+ images as malignant/,
      ),
    );
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('a few images (at most 5) are labelled at once, without asking', async () => {
    const { calls } = setup();
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    await gridKey(' ');
    await gridKey('ArrowRight');
    await gridKey(' ');
    await gridKey('3');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls('catalog:bulkRelabel')).toEqual([
      expect.objectContaining({ imageIds: [1, 2], to: ['normal'] }),
    ]);
  });

  it('sends the label version each row showed; an image relabelled elsewhere since refuses the whole change (CONFLICT)', async () => {
    const { calls, catalog } = setup({}, (c) =>
      c.writeElsewhere(1, ['benign'], 'carol', '2026-01-02T09:00:00.000Z'),
    );
    await screen.findByRole('option', { name: 'img-001.png: benign' });
    // After the grid showed its rows, bob relabels image 2 on another workstation.
    catalog.writeElsewhere(2, ['normal'], 'bob', '2026-01-02T09:30:00.000Z');
    await gridKey('Home');
    await gridKey(' ');
    await gridKey('ArrowRight');
    await gridKey(' ');
    await gridKey('2');
    expect(calls('catalog:bulkRelabel')).toEqual([
      expect.objectContaining({
        imageIds: [1, 2],
        to: ['malignant'],
        baseVersions: [
          { imageId: 1, version: 1 },
          { imageId: 2, version: 0 },
        ],
      }),
    ]);
    expect(catalog.labelsOf('label', 1)).toEqual(['benign']);
    expect(catalog.labelsOf('label', 2)).toEqual(['normal']);
    expect(await screen.findByText(/image 2 was labelled by bob since you saw it/)).toBeTruthy();
  });

  it('a task without classes says so, links to the task editor, and a class key explains why nothing happens', async () => {
    const { onEditTasks, calls } = setup({ classes: [] });
    expect((await screen.findByTestId('no-classes')).textContent).toContain(
      'The task "label" has no classes yet, so class keys label nothing.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add classes in Label tasks' }));
    expect(onEditTasks).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    await gridKey(' ');
    await gridKey('1');
    expect(screen.getByTestId('catalog-notice').textContent).toBe(
      'The task "label" has no classes yet, so class keys label nothing.',
    );
    expect(calls('catalog:bulkRelabel')).toEqual([]);
  });

  it('shows the task progress and, when filters leave nothing, says why with a way back', async () => {
    setup({}, (catalog) =>
      catalog.answers['catalog:setLabels']!({
        imageId: 4,
        task: 'label',
        labels: ['benign'],
        user: 'b',
        reason: '',
      }),
    );

    await waitFor(() => expect(screen.getByTestId('task-progress').textContent).toBe('1 of 30 labelled'));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Note contains' }), { target: { value: 'zzz' } });
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('0 images'), {
      timeout: 2000,
    });
    await waitFor(() =>
      expect(screen.getByTestId('no-match').textContent).toContain(
        'No images match the filters (note contains “zzz”)',
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('30 images'));
    expect((screen.getByRole('searchbox', { name: 'Note contains' }) as HTMLInputElement).value).toBe('');
  });
});
