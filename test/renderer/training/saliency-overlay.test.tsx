// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingScreen } from '../../../renderer/training/training-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { createFakeRuns } from '../fake-runs';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const setup = (overrides: Parameters<typeof createFakeApi>[0] = {}) => {
  const catalog = createFakeCatalog({ images: 12 });
  const runs = createFakeRuns(catalog);
  const fake = createFakeApi({ ...catalog.answers, ...runs.answers, ...overrides });
  renderScreen(<TrainingScreen />, fake.api);
  return { fake };
};

const saliencyCalls = (fake: ReturnType<typeof createFakeApi>) =>
  fake.received.filter((r) => r.channel === 'run:saliency').map((r) => r.input);

/** Opens run 3's review and image 10 (the proposed method's one error; stage 1 says benign at 0.65). */
const openImage10 = async () => {
  fireEvent.click(await screen.findByRole('button', { name: 'Review run 3' }));
  const wrong = await screen.findByRole('list', { name: 'Misclassified images' });
  fireEvent.click(await within(wrong).findByRole('button', { name: 'Open image 10' }));
  return screen.findByRole('dialog');
};

describe('saliency overlay in the review', () => {
  it('toggles the Grad-CAM overlay for the predicted class, then for a picked class, then off', async () => {
    const { fake } = setup();
    const dialog = await openImage10();
    const toggle = within(dialog).getByRole('button', { name: 'Saliency' });
    const picker = within(dialog).getByRole('combobox', { name: 'Saliency class' }) as HTMLSelectElement;
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(picker.disabled).toBe(true);
    expect(within(dialog).getByRole('img', { name: 'Image 10 at full size' })).toBeTruthy();
    expect(saliencyCalls(fake)).toEqual([]);

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    const heat = await within(dialog).findByRole('img', { name: 'Grad-CAM heat map for benign' });
    expect(heat.getAttribute('src')).toBe(`data:image/png;base64,${btoa('heat-10-0')}`);
    expect(within(dialog).getByRole('img', { name: 'Image 10 as the network saw it' })).toBeTruthy();
    expect(within(dialog).queryByRole('img', { name: 'Image 10 at full size' })).toBeNull();
    expect(saliencyCalls(fake)).toEqual([{ runId: 3, imageId: 10 }]);
    const figure = within(dialog).getByTestId('saliency');
    expect(figure.textContent).toContain('for benign (its prediction), p = 65.0 %');
    expect(figure.textContent).toContain('160 px input');
    expect(figure.querySelector('.saliency-scale')).not.toBeNull();

    expect(picker.disabled).toBe(false);
    fireEvent.change(picker, { target: { value: '1' } });
    await within(dialog).findByRole('img', { name: 'Grad-CAM heat map for malignant' });
    expect(saliencyCalls(fake)).toEqual([
      { runId: 3, imageId: 10 },
      { runId: 3, imageId: 10, classIndex: 1 },
    ]);
    const picked = within(dialog).getByTestId('saliency').textContent!;
    expect(picked).toContain('for malignant, p = 17.5 %');
    expect(picked).toContain('No area raises the score of malignant');

    fireEvent.change(picker, { target: { value: '' } });
    await within(dialog).findByRole('img', { name: 'Grad-CAM heat map for benign' });
    expect(saliencyCalls(fake).at(-1)).toEqual({ runId: 3, imageId: 10 });

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(within(dialog).getByRole('img', { name: 'Image 10 at full size' })).toBeTruthy();
    expect(within(dialog).queryByTestId('saliency')).toBeNull();
  });

  it('says why there is no map (e.g. a run without an exported model)', async () => {
    setup({
      'run:saliency': () => ({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'run 3 has no exported model' },
      }),
    });
    const dialog = await openImage10();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Saliency' }));
    await waitFor(() => expect(dialog.textContent).toContain('run 3 has no exported model'));
    expect(within(dialog).queryByTestId('saliency')).toBeNull();
  });
});
