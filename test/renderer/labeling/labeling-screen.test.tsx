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

  it('U undoes through the app undo stack (catalog:undo of that batch) and returns to the image it changed', async () => {
    const { calls, catalog } = setup();
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('3');
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-002.png'));
    await key('u');
    await waitFor(() => expect(calls('catalog:undo')).toEqual([{ user: 'alice', batchId: 1 }]));
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    expect(catalog.labelsOf('label', 1)).toEqual([]);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /normal/ }).getAttribute('aria-pressed')).toBe('false'),
    );
    expect(screen.getByTestId('labeling-notice').textContent).toBe('Undid: img-001.png: normal (1 change).');
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

  it('skip moves on without labelling; F flags the image with the typed reason, F again clears it', async () => {
    const { calls, catalog } = setup();
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await key('s');
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-002.png'));
    expect(calls('catalog:setLabels')).toEqual([]);
    fireEvent.change(await screen.findByRole('textbox', { name: 'Reason for flagging' }), {
      target: { value: 'acoustic shadow' },
    });
    await key('f');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /Flagged/ }).getAttribute('aria-pressed')).toBe('true'),
    );
    expect(calls('catalog:setFlag')).toEqual([
      { imageId: 2, flagged: true, user: 'alice', reason: 'acoustic shadow' },
    ]);
    expect(catalog.flags.get(2)?.reason).toBe('acoustic shadow');
    expect(screen.getByTestId('flag-state').textContent).toContain('acoustic shadow');
    expect(screen.getByTestId('flag-history').textContent).toContain('— → acoustic shadow');
    expect(calls('catalog:defineTask')).toEqual([]); // no stand-in "review" task any more
    await key('f');
    await waitFor(() => expect(screen.getByTestId('flag-state').textContent).toBe('Not flagged.'));
    expect(calls('catalog:setFlag')[1]).toEqual({
      imageId: 2,
      flagged: false,
      user: 'alice',
      reason: 'review done',
    });
    expect(catalog.flags.has(2)).toBe(false);
  });

  it("asks catalog:image for the workspace task, so the buttons show that task's labels", async () => {
    const { calls } = setup();
    await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
    await waitFor(() => expect(calls('catalog:image')[0]).toEqual({ id: 1, task: 'label' }));
  });

  it('colours the class buttons with the colours stored in the task (palette for the rest)', async () => {
    const catalog = createFakeCatalog();
    catalog.tasks[0]!.classes[1]!.colour = '#abcdef';
    renderScreen(<LabelingScreen onBack={() => {}} />, createFakeApi(catalog.answers).api);
    const stored = await screen.findByRole('button', { name: /malignant/ });
    expect(stored.style.borderLeftColor).toBe('rgb(171, 205, 239)');
    expect(screen.getByRole('button', { name: /benign/ }).style.borderLeftColor).toBe('rgb(79, 179, 191)'); // PALETTE[0]
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
