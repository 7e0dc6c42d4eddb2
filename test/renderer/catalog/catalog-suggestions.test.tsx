// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogScreen } from '../../../renderer/catalog/catalog-screen';
import { createFakeApi } from '../fake-api';
import { createFakeAssistant, suggestion } from '../fake-assistant';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

/** 12 images; the assistant suggests benign for 1-4 (p 0.99, 0.95, 0.92, 0.7) and normal for 5. */
const setup = () => {
  const catalog = createFakeCatalog({ images: 12 });
  const assistant = createFakeAssistant({
    suggestions: [
      suggestion(1, 'benign', 0.99),
      suggestion(2, 'benign', 0.95),
      suggestion(3, 'benign', 0.92),
      suggestion(4, 'benign', 0.7),
      suggestion(5, 'normal', 0.97),
    ],
  });
  const fake = createFakeApi({ ...catalog.answers, ...assistant.answers });
  renderScreen(<CatalogScreen onOpen={() => {}} onImport={() => {}} />, fake.api);
  const calls = (channel: string) => fake.received.filter((r) => r.channel === channel).map((r) => r.input);
  return { ...fake, catalog, calls };
};

describe('Catalog grid with assistant suggestions', () => {
  it('badges suggested thumbnails with class and probability', async () => {
    setup();
    await waitFor(() => expect(screen.getAllByTestId('suggestion-badge')).toHaveLength(5));
    expect(screen.getAllByTestId('suggestion-badge').map((b) => b.textContent)).toEqual([
      'suggested benign 99%',
      'suggested benign 95%',
      'suggested benign 92%',
      'suggested benign 70%',
      'suggested normal 97%',
    ]);
  });

  it('filters "suggested X with p ≥ t" and narrows the grid to those images', async () => {
    setup();
    await waitFor(() => expect(screen.getByTestId('suggested-count').textContent).toBe('3 unlabeled images'));
    fireEvent.change(screen.getByLabelText('Minimum probability'), { target: { value: '0.5' } });
    expect(screen.getByTestId('suggested-count').textContent).toBe('4 unlabeled images');
    fireEvent.change(screen.getByLabelText('Suggested class'), { target: { value: 'normal' } });
    expect(screen.getByTestId('suggested-count').textContent).toBe('1 unlabeled image');
    fireEvent.click(screen.getByRole('button', { name: 'Show them' }));
    await waitFor(() => expect(screen.getByTestId('result-count').textContent).toBe('1 image'));
  });

  it('confirms N suggestions only after the dialog, as accepted suggestions in one undoable batch', async () => {
    const { calls, catalog } = setup();
    await waitFor(() => expect(screen.getByTestId('suggested-count').textContent).toBe('3 unlabeled images'));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm 3 suggestions…' }));
    const dialog = screen.getByRole('dialog', { name: 'Label 3 images as benign?' });
    expect(dialog.textContent).toContain('lowest 92%');
    expect(dialog.textContent).toContain('The model was trained on 10 labels');
    expect(calls('catalog:bulkRelabel')).toEqual([]);
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm 3 suggestions' }));
    });
    expect(calls('catalog:bulkRelabel')).toEqual([
      {
        datasetId: 1,
        task: 'label',
        imageIds: [1, 2, 3],
        to: ['benign'],
        user: 'alice',
        reason: 'confirmed assistant suggestions (benign, p ≥ 90%)',
        suggestions: [
          { imageId: 1, modelId: 'm1', p: 0.99 },
          { imageId: 2, modelId: 'm1', p: 0.95 },
          { imageId: 3, modelId: 'm1', p: 0.92 },
        ],
      },
    ]);
    expect([1, 2, 3, 4].map((id) => catalog.labelsOf('label', id))).toEqual([
      ['benign'],
      ['benign'],
      ['benign'],
      [],
    ]);
    expect(screen.getByTestId('catalog-notice').textContent).toBe('Confirmed 3 suggestions as benign.');
    // The confirmed images leave the count at once (the assistant's list catches up at its retrain).
    await waitFor(() => expect(screen.getByTestId('suggested-count').textContent).toBe('0 unlabeled images'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    });
    await waitFor(() => expect(calls('catalog:undo')).toEqual([{ user: 'alice', batchId: 1 }]));
    expect([1, 2, 3].map((id) => catalog.labelsOf('label', id))).toEqual([[], [], []]);
  });

  it('Cancel in the dialog writes nothing', async () => {
    const { calls } = setup();
    await waitFor(() => expect(screen.getByTestId('suggested-count').textContent).toBe('3 unlabeled images'));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm 3 suggestions…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls('catalog:bulkRelabel')).toEqual([]);
  });
});
