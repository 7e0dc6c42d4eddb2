// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunCurvePoint } from '../../../shared/run/run-progress';
import { TrainingScreen } from '../../../renderer/training/training-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { createFakeRuns } from '../fake-runs';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const point = (seed: number, method: RunCurvePoint['method'], epoch: number): RunCurvePoint => ({
  seed,
  method,
  epoch,
  trainLoss: 1 / epoch,
  trainAccuracy: null,
  validationLoss: 1.1 / epoch,
  validationAccuracy: 0.4 + epoch / 20,
});

const setup = (curves: RunCurvePoint[]) => {
  const catalog = createFakeCatalog({ images: 12 });
  const runs = createFakeRuns(catalog);
  runs.curves[3] = curves;
  const fake = createFakeApi({ ...catalog.answers, ...runs.answers });
  renderScreen(<TrainingScreen />, fake.api);
  return { fake };
};

describe('RunCurvesPanel in the review', () => {
  it("draws a finished run's stored curves, one seed at a time", async () => {
    setup([
      point(1, 'stage1_image', 1),
      point(1, 'stage1_image', 2),
      point(1, 'stage1_image', 3),
      point(1, 'note_only', 1),
      point(2, 'stage1_image', 1),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Review run 3' }));
    const panel = await screen.findByTestId('run-curves');
    expect(within(panel).getByText('Training curves (2 seeds)')).toBeTruthy();
    const loss = () =>
      within(panel)
        .getByRole('img', { name: /^Loss per epoch/ })
        .getAttribute('aria-label');
    // One stage at a time, over its own epochs: stage 1 first, the heads on their button.
    expect(loss()).toMatch(/^Loss per epoch, epochs 1–3: /);
    expect(loss()).toContain('Stage 1: fine-tuned image model · train 3 points, last 0.333');
    expect(loss()).toContain('Stage 1: fine-tuned image model · validation 3 points');
    expect(loss()).not.toContain('Note only');
    fireEvent.click(within(panel).getByRole('button', { name: 'Frozen-feature heads' }));
    expect(loss()).toMatch(/^Loss per epoch, epochs 1–1: Note only · train 1 points/);
    fireEvent.click(within(panel).getByRole('button', { name: 'Stage 1 (fine-tuning)' }));
    const seed2 = within(panel).getByRole('button', { name: 'Seed 2' });
    expect(seed2.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(seed2);
    expect(seed2.getAttribute('aria-pressed')).toBe('true');
    expect(loss()).toContain('Stage 1: fine-tuned image model · train 1 points');
    expect(loss()).not.toContain('Note only');
  });

  it('shows nothing for a run without stored curves', async () => {
    const { fake } = setup([]);
    fireEvent.click(await screen.findByRole('button', { name: 'Review run 3' }));
    await screen.findByRole('table', { name: 'Comparison of methods, run 3' });
    expect(fake.received.some((r) => r.channel === 'run:curves')).toBe(true);
    expect(screen.queryByTestId('run-curves')).toBeNull();
  });
});
