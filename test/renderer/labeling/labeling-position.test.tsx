// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useEffect, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SonoFuseApi } from '../../../shared/contract/index';
import { ApiProvider } from '../../../renderer/api-context';
import { BrowseProvider, useBrowse } from '../../../renderer/catalog/browse-context';
import { createMediaUrl, MediaProvider } from '../../../renderer/catalog/media-url';
import { UndoProvider } from '../../../renderer/catalog/undo-stack';
import { WorkspaceProvider } from '../../../renderer/catalog/workspace';
import { LabelingScreen } from '../../../renderer/labeling/labeling-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';

beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

/** Like the app after a reload: the same localStorage, fresh providers. */
const mount = (api: SonoFuseApi, ui: ReactNode) =>
  render(
    <ApiProvider value={api}>
      <MediaProvider value={createMediaUrl('t0ken')}>
        <WorkspaceProvider initial={{ datasetId: 1, user: 'alice' }}>
          <UndoProvider>
            <BrowseProvider>{ui}</BrowseProvider>
          </UndoProvider>
        </WorkspaceProvider>
      </MediaProvider>
    </ApiProvider>,
  );

const key = (k: string) =>
  act(async () => {
    fireEvent.keyDown(window, { key: k });
  });

const labelled = (ids: number[]) => {
  const catalog = createFakeCatalog();
  for (const id of ids)
    catalog.answers['catalog:setLabels']!({
      imageId: id,
      task: 'label',
      labels: ['normal'],
      user: 'b',
      reason: '',
    });
  return catalog;
};

describe('Labeling position and progress (issue #16 items 3, 5)', () => {
  it('opens on the first unlabeled image, not 1 / N, and shows the task progress', async () => {
    const catalog = labelled([1, 2]);
    mount(createFakeApi(catalog.answers).api, <LabelingScreen onBack={() => {}} />);
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-003.png'));
    expect(screen.getByTestId('position').textContent).toBe('3 / 12');
    await waitFor(() => expect(screen.getByTestId('task-progress').textContent).toBe('2 of 12 labelled'));
    await key('1');
    await waitFor(() => expect(screen.getByTestId('task-progress').textContent).toBe('3 of 12 labelled'));
  });

  it('after a reload returns to the image the user was on (per dataset and task)', async () => {
    const catalog = labelled([]);
    const api = createFakeApi(catalog.answers).api;
    const first = mount(api, <LabelingScreen onBack={() => {}} />);
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('ArrowRight');
    await key('ArrowRight');
    await key('ArrowRight');
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-004.png'));
    first.unmount();
    mount(api, <LabelingScreen onBack={() => {}} />);
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-004.png'));
    expect(screen.getByTestId('position').textContent).toBe('4 / 12');
  });

  it('says when a filter is active, and "Show all" clears it', async () => {
    const catalog = labelled([1]);
    const Filtered = () => {
      const browse = useBrowse();
      const { setFilters } = browse;
      useEffect(() => setFilters({ sort: { by: 'id', dir: 'asc' }, unlabeled: true }), [setFilters]);
      return null;
    };
    mount(
      createFakeApi(catalog.answers).api,
      <>
        <Filtered />
        <LabelingScreen onBack={() => {}} />
      </>,
    );
    await waitFor(() =>
      expect(screen.getByTestId('filter-active').textContent).toContain('Filtered: unlabeled only'),
    );
    expect(screen.getByTestId('position').textContent).toBe('1 / 11');
    fireEvent.click(screen.getByRole('button', { name: 'Show all' }));
    await waitFor(() => expect(screen.queryByTestId('filter-active')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('position').textContent).toMatch(/ \/ 12$/));
  });

  it('a task with no classes says so with a link to the task editor; a class key says why nothing happened', async () => {
    const catalog = createFakeCatalog({ classes: [] });
    const onEditTasks = vi.fn();
    const fake = createFakeApi(catalog.answers);
    mount(fake.api, <LabelingScreen onBack={() => {}} onEditTasks={onEditTasks} />);
    expect((await screen.findByTestId('no-classes')).textContent).toContain(
      'The task "label" has no classes yet',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add classes in Label tasks' }));
    expect(onEditTasks).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('1');
    expect(screen.getByTestId('labeling-notice').textContent).toBe(
      'The task "label" has no classes yet, so class keys label nothing. Add them under Label tasks (Alt+4).',
    );
    expect(fake.received.filter((r) => r.channel === 'catalog:setLabels')).toEqual([]);
  });
});

describe('Labeling when every image is labelled', () => {
  it('a class key relabels the shown image and its buttons show the new class (nothing left to advance to)', async () => {
    const catalog = labelled(Array.from({ length: 12 }, (_, i) => i + 1));
    mount(createFakeApi(catalog.answers).api, <LabelingScreen onBack={() => {}} />);
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /normal/ }).getAttribute('aria-pressed')).toBe('true'),
    );
    await key('2');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /malignant/ }).getAttribute('aria-pressed')).toBe('true'),
    );
    expect(screen.getByTestId('current-file').textContent).toBe('img-001.png');
    expect(screen.getByTestId('labeling-notice').textContent).toBe('Every image in this list is labelled.');
  });
});
