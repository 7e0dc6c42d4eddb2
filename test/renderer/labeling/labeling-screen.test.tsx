// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabelingScreen } from '../../../renderer/labeling/labeling-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const key = (k: string, extra: Partial<KeyboardEventInit> = {}) =>
  act(async () => {
    fireEvent.keyDown(window, { key: k, ...extra });
  });

const setup = (options: Parameters<typeof createFakeCatalog>[0] = {}) => {
  const catalog = createFakeCatalog(options);
  const fake = createFakeApi(catalog.answers);
  const onBack = vi.fn();
  renderScreen(<LabelingScreen onBack={onBack} />, fake.api);
  const calls = (channel: string) => fake.received.filter((r) => r.channel === channel).map((r) => r.input);
  return { ...fake, catalog, onBack, calls };
};

describe('LabelingScreen', () => {
  it('pressing "2" labels the shown image with the second class and advances to the next unlabeled one', async () => {
    const { calls, catalog } = setup();
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    expect(screen.getByRole('img', { name: 'Ultrasound image img-001.png' }).getAttribute('src')).toBe(
      'media/image/1?token=t0ken',
    );
    await key('2');
    expect(calls('catalog:setLabels')).toEqual([
      { imageId: 1, task: 'label', labels: ['malignant'], user: 'alice', reason: '' },
    ]);
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-002.png'));
    expect(screen.getByTestId('position').textContent).toBe('2 / 12');
    expect(catalog.labelsOf('label', 1)).toEqual(['malignant']);
  });

  it('auto-advance skips images that are already labelled', async () => {
    const catalog = createFakeCatalog();
    catalog.answers['catalog:setLabels']!({
      imageId: 2,
      task: 'label',
      labels: ['normal'],
      user: 'bob',
      reason: '',
    });
    const fake = createFakeApi(catalog.answers);
    renderScreen(<LabelingScreen onBack={() => {}} />, fake.api);
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('1');
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-003.png'));
    expect(catalog.labelsOf('label', 1)).toEqual(['benign']);
  });

  it('Ctrl+Z undoes through catalog:undo and returns to the image it changed', async () => {
    const { calls, catalog } = setup();
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('3');
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-002.png'));
    await key('z', { ctrlKey: true });
    expect(calls('catalog:undo')).toEqual([{ user: 'alice' }]);
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    expect(catalog.labelsOf('label', 1)).toEqual([]);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /normal/ }).getAttribute('aria-pressed')).toBe('false'),
    );
    expect(screen.getByTestId('labeling-notice').textContent).toBe('Undid 1 change.');
  });

  it('autosaves the note through catalog:setNote and shows it in the note history', async () => {
    const { calls } = setup();
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    const note = (await screen.findByLabelText('Clinical note')) as HTMLTextAreaElement;
    fireEvent.change(note, { target: { value: 'Hypoechoic mass, irregular margin.' } });
    // Typing a class key inside the note must not label the image.
    fireEvent.keyDown(note, { key: '2' });
    await waitFor(() => expect(calls('catalog:setNote')).toHaveLength(1), { timeout: 3000 });
    expect(calls('catalog:setNote')[0]).toEqual({
      imageId: 1,
      text: 'Hypoechoic mass, irregular margin.',
      user: 'alice',
      reason: '',
    });
    expect(calls('catalog:setLabels')).toEqual([]);
    await waitFor(() => expect(screen.getByTestId('note-history').textContent).toContain('Hypoechoic mass'));
    expect(screen.getByTestId('note-status').textContent).toBe('Saved');
  });

  it('skip moves on without labelling; F flags for review through a "review" task', async () => {
    const { calls, catalog } = setup();
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('s');
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-002.png'));
    expect(calls('catalog:setLabels')).toEqual([]);
    await key('f');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /Flagged/ }).getAttribute('aria-pressed')).toBe('true'),
    );
    expect(calls('catalog:defineTask')[0]).toMatchObject({
      name: 'review',
      kind: 'multi',
      classes: [{ name: 'flagged' }],
    });
    expect(catalog.labelsOf('review', 2)).toEqual(['flagged']);
    expect(screen.getByTestId('label-history').textContent).toContain('— → flagged');
  });

  it('multi-label tasks toggle classes and do not advance', async () => {
    const { catalog } = setup({ kind: 'multi', classes: ['head', 'abdomen', 'femur'] });
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('1');
    await waitFor(() => expect(catalog.labelsOf('label', 1)).toEqual(['head']));
    await key('3');
    await waitFor(() => expect(catalog.labelsOf('label', 1)).toEqual(['head', 'femur']));
    await key('1');
    await waitFor(() => expect(catalog.labelsOf('label', 1)).toEqual(['femur']));
    expect(screen.getByTestId('current-file').textContent).toBe('img-001.png');
  });

  it('"?" lists every shortcut, including the classes; Escape closes it; navigation keys move', async () => {
    const { onBack } = setup();
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const text of [
      'benign',
      'malignant',
      'normal',
      'Undo the last change',
      'Skip to the next unlabeled image',
      'Flag for review (again: unflag)',
      'Ctrl+Z',
      'Zoom in',
    ]) {
      expect(dialog.textContent).toContain(text);
    }
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onBack).not.toHaveBeenCalled();
    await key('ArrowRight');
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-002.png'));
    await key('ArrowLeft');
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('Escape');
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it('shows a contract error as a message instead of a blank screen', async () => {
    const catalog = createFakeCatalog();
    catalog.answers['catalog:image'] = () => ({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no image 1' },
    });
    renderScreen(<LabelingScreen onBack={() => {}} />, createFakeApi(catalog.answers).api);
    expect((await screen.findByRole('alert')).textContent).toContain('no image 1');
  });
});
