// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LabelingScreen } from '../../../renderer/labeling/labeling-screen';
import { createFakeApi } from '../fake-api';
import { createFakeAssistant, readyStatus, suggestion } from '../fake-assistant';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const key = (k: string) =>
  act(async () => {
    fireEvent.keyDown(window, { key: k });
  });

const setup = (assistant: Parameters<typeof createFakeAssistant>[0] = {}) => {
  const catalog = createFakeCatalog();
  const fake = createFakeAssistant(assistant);
  const api = createFakeApi({ ...catalog.answers, ...fake.answers });
  renderScreen(<LabelingScreen onBack={() => {}} />, api.api);
  const calls = (channel: string) => api.received.filter((r) => r.channel === channel).map((r) => r.input);
  return { ...api, catalog, fake, calls };
};
const shown = () => screen.getByTestId('current-file').textContent;

describe('LabelingScreen with the assistant', () => {
  it('marks the suggested class with its probability, and Enter accepts it as a suggestion and advances', async () => {
    const { calls, catalog } = setup({
      suggestions: [suggestion(1, 'malignant', 0.874), suggestion(2, 'benign', 0.61)],
    });
    await waitFor(() => expect(shown()).toBe('img-001.png'));
    const malignant = screen.getByRole('button', { name: /malignant/ });
    await waitFor(() => expect(malignant.getAttribute('data-suggested')).toBe('true'));
    expect(screen.getByTestId('suggestion-p').textContent).toBe('suggested 87%Enter');
    expect(screen.getByRole('button', { name: /benign/ }).getAttribute('data-suggested')).toBeNull();

    await key('Enter');
    expect(calls('catalog:setLabels')).toEqual([
      {
        imageId: 1,
        task: 'label',
        labels: ['malignant'],
        user: 'alice',
        reason: '',
        suggestion: { modelId: 'm1', p: 0.874 },
        baseVersion: 0,
      },
    ]);
    await waitFor(() => expect(shown()).toBe('img-002.png'));
    expect(catalog.labelsOf('label', 1)).toEqual(['malignant']);
    // The second image's own suggestion, not the first one's.
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /benign/ }).getAttribute('data-suggested')).toBe('true'),
    );
    // A typed label records no suggestion.
    await key('3');
    expect(calls('catalog:setLabels')[1]).toEqual({
      imageId: 2,
      task: 'label',
      labels: ['normal'],
      user: 'alice',
      reason: '',
      baseVersion: 0,
    });
  });

  it('Enter on a focused button presses that button instead of accepting', async () => {
    const { calls } = setup({ suggestions: [suggestion(1, 'malignant', 0.9)] });
    await waitFor(() => expect(screen.queryByTestId('suggestion-p')).not.toBeNull());
    const skip = screen.getByRole('button', { name: /^Skip/ });
    skip.focus();
    await act(async () => {
      fireEvent.keyDown(skip, { key: 'Enter' });
    });
    expect(calls('catalog:setLabels')).toEqual([]);
    // Focus elsewhere (the page): Enter accepts.
    skip.blur();
    await key('Enter');
    expect(calls('catalog:setLabels')).toHaveLength(1);
  });

  it('Enter without a suggestion labels nothing and says why', async () => {
    const { calls } = setup({ suggestions: [] });
    await waitFor(() => expect(shown()).toBe('img-001.png'));
    await key('Enter');
    expect(calls('catalog:setLabels')).toEqual([]);
    expect(screen.getByTestId('labeling-notice').textContent).toBe('No suggestion for this image yet.');
    expect(shown()).toBe('img-001.png');
  });

  it('shows the accepted suggestion in the label history, distinct from a typed label', async () => {
    setup({ suggestions: [suggestion(1, 'benign', 0.9)] });
    await waitFor(() => expect(shown()).toBe('img-001.png'));
    await waitFor(() => expect(screen.queryByTestId('suggestion-p')).not.toBeNull());
    await key('Enter');
    await waitFor(() => expect(shown()).toBe('img-002.png'));
    await key('2');
    await waitFor(() => expect(shown()).toBe('img-003.png'));
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await waitFor(() => expect(shown()).toBe('img-001.png'));
    await waitFor(() =>
      expect(screen.getByTestId('accepted-suggestion').textContent).toBe('accepted suggestion (m1, 90%)'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(shown()).toBe('img-002.png'));
    await waitFor(() => expect(screen.getByTestId('label-history').textContent).toContain('malignant'));
    expect(screen.queryByTestId('accepted-suggestion')).toBeNull();
  });

  it('"Next" and the advance after a label follow the queue mode the user picks', async () => {
    const { calls } = setup({
      queue: { informative: [9, 4, 7] },
      suggestions: [suggestion(5, 'normal', 0.8), suggestion(11, 'normal', 0.7)],
    });
    await waitFor(() => expect(shown()).toBe('img-001.png'));
    fireEvent.click(screen.getByRole('button', { name: 'Most informative' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(shown()).toBe('img-009.png'));
    expect(calls('assistant:queue').at(-1)).toEqual({
      datasetId: 1,
      task: 'label',
      mode: 'informative',
      limit: 200,
    });
    // The shown image is never "next": from 9 the queue's next is 4.
    await key('1');
    await waitFor(() => expect(shown()).toBe('img-004.png'));
    fireEvent.click(screen.getByRole('button', { name: 'One predicted class' }));
    fireEvent.change(screen.getByLabelText('Predicted class'), { target: { value: 'normal' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(shown()).toBe('img-005.png'));
    await key('s'); // skip: the next of the class
    await waitFor(() => expect(shown()).toBe('img-011.png'));
    // Import order again: the plain list.
    fireEvent.click(screen.getByRole('button', { name: 'Import order' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(shown()).toBe('img-012.png'));
  });

  it('shows the assistant state without blocking labeling while it trains', async () => {
    const { emit, calls } = setup({
      status: { ...readyStatus(0), state: 'training', model: null, labeled: 14 },
    });
    await waitFor(() =>
      expect(screen.getByTestId('assistant-status').textContent).toBe('Assistant: training on 14 labels…'),
    );
    expect(screen.getByTestId('assistant-status').getAttribute('aria-busy')).toBe('true');
    await key('1');
    await waitFor(() => expect(calls('catalog:setLabels')).toHaveLength(1));
    await waitFor(() => expect(shown()).toBe('img-002.png'));
    act(() => emit('assistant:onUpdate', readyStatus(15)));
    expect(screen.getByTestId('assistant-status').textContent).toBe('Assistant: model trained on 15 labels');
    // Another dataset's update is not ours.
    act(() => emit('assistant:onUpdate', { ...readyStatus(99), datasetId: 2 }));
    expect(screen.getByTestId('assistant-status').textContent).toBe('Assistant: model trained on 15 labels');
    act(() =>
      emit('assistant:onUpdate', {
        ...readyStatus(15),
        state: 'unavailable',
        reason: 'no split yet',
        model: null,
      }),
    );
    expect(screen.getByTestId('assistant-status').textContent).toBe('Assistant unavailable: no split yet');
  });

  it('lists the accept key in the shortcut sheet', async () => {
    setup();
    await waitFor(() => expect(shown()).toBe('img-001.png'));
    await key('?');
    const sheet = await screen.findByRole('dialog');
    expect(sheet.textContent).toContain("Accept the assistant's suggested class and go to the next image");
    expect(sheet.textContent).toContain('Enter');
  });
});
