// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunDetail, RunListItem, RunPrediction } from '../../../shared/contract/index';
import { TrainingScreen } from '../../../renderer/training/training-screen';
import { runSummaryFixture } from '../../support/run-summary-fixture';
import { createFakeApi } from '../fake-api';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const listItem = (over: Partial<RunListItem>): RunListItem => ({
  runId: 3,
  datasetId: 1,
  dataset: 'busi',
  task: 'label',
  status: 'succeeded',
  createdAt: '2026-11-28T10:00:00Z',
  finishedAt: '2026-11-28T10:05:00Z',
  backend: 'wasm (2 wasm replica threads)',
  error: null,
  headline: { method: 'proposed', testAccuracy: 5 / 6, macroF1: 0.8 },
  stale: false,
  ...over,
});

/** Test predictions of the fixture's stage-1 method: truth [0,0,1,1,2,2], predicted [0,1,1,0,2,2]. */
const predictions = (): RunPrediction[] => {
  const classes = ['benign', 'malignant', 'normal'];
  const truth = [0, 0, 1, 1, 2, 2];
  const predicted = [0, 1, 1, 0, 2, 2];
  return truth.map((t, i) => ({
    imageId: 11 + i,
    file: `img${i}.png`,
    method: 'stage1_image',
    split: 'test',
    probs: classes.map((_, c) => (c === predicted[i] ? 0.8 : 0.1)),
    predicted: classes[predicted[i]!]!,
    actual: classes[t]!,
    correct: t === predicted[i],
    confidence: 0.8,
  }));
};

const setup = (runs: RunListItem[]) => {
  const summary = runSummaryFixture();
  const detail: RunDetail = { ...listItem({}), config: summary.config, summary };
  const fake = createFakeApi({
    'run:list': () => ({ ok: true, value: runs }),
    'catalog:datasets': () => ({ ok: true, value: [{ id: 1, name: 'busi', createdAt: 'x', images: 779 }] }),
    'run:start': () => ({ ok: true, value: { runId: 7 } }),
    'run:cancel': () => ({ ok: true, value: { cancelled: true } }),
    'run:get': () => ({ ok: true, value: detail }),
    'run:predictions': () => ({ ok: true, value: predictions() }),
    'catalog:setLabels': () => ({ ok: true, value: { labels: ['malignant'], batchId: 5 } }),
    'run:exportReport': (input) => ({
      ok: true,
      value: { path: (input as { path: string }).path, bytes: 1234 },
    }),
  });
  renderScreen(<TrainingScreen />, fake.api);
  return fake;
};

describe('TrainingScreen', () => {
  it('starts a run of every method on the workspace dataset with the defaults', async () => {
    const fake = setup([]);
    const button = await screen.findByRole('button', { name: 'Run all methods' });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(button);
    await waitFor(() => expect(fake.received.some((r) => r.channel === 'run:start')).toBe(true));
    const start = fake.received.find((r) => r.channel === 'run:start')!.input as {
      config: Record<string, unknown>;
    };
    expect(start.config).toMatchObject({
      dataset: 'busi',
      task: 'label',
      imageSize: 160,
      batchSize: 20,
      seeds: 1,
    });
    expect(start.config.methods).toHaveLength(6);
  });

  it('refuses an invalid advanced setting with a clear message and starts nothing', async () => {
    const fake = setup([]);
    fireEvent.change(await screen.findByLabelText('Image size (px)'), { target: { value: '8' } });
    const button = screen.getByRole('button', { name: 'Run all methods' });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(button);
    expect(await screen.findByText(/imageSize/)).toBeTruthy();
    expect(fake.received.some((r) => r.channel === 'run:start')).toBe(false);
  });

  it('shows live progress of the running run and cancels it', async () => {
    const fake = setup([listItem({ runId: 7, status: 'running', headline: null })]);
    expect(await screen.findByText('Run 7 is starting…')).toBeTruthy();
    act(() =>
      fake.emit('run:onProgress', {
        runId: 7,
        seed: 1,
        stage: 'stage1',
        method: 'stage1_image',
        epoch: 2,
        epochs: 10,
        batch: 5,
        batches: 28,
        imagesPerSecond: 12.5,
        etaSeconds: 300,
        backend: 'wasm',
        curve: null,
      }),
    );
    expect(await screen.findByTestId('run-progress')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel run 7' }));
    await waitFor(() =>
      expect(fake.received.find((r) => r.channel === 'run:cancel')?.input).toEqual({ runId: 7 }),
    );
  });

  it('reviews a finished run: confusion cell lists its images, relabel is audited, report exports', async () => {
    const fake = setup([listItem({})]);
    fireEvent.click(await screen.findByRole('button', { name: 'Review run 3' }));
    fireEvent.click(await screen.findByRole('button', { name: '1 images of malignant predicted as benign' }));
    const cellList = await screen.findByRole('list', { name: 'Images of the selected cell' });
    // Exactly image 14 (true malignant, predicted benign).
    await waitFor(() => expect(cellList.querySelectorAll('li')).toHaveLength(1));
    expect(cellList.querySelector('[data-testid="review-14"]')).toBeTruthy();
    const relabel = cellList.querySelector('[aria-label="Relabel image 14 as benign"]') as HTMLButtonElement;
    fireEvent.click(relabel);
    await waitFor(() =>
      expect(fake.received.find((r) => r.channel === 'catalog:setLabels')?.input).toEqual({
        imageId: 14,
        task: 'diagnosis', // the run's task, not the workspace's
        labels: ['benign'],
        user: 'alice',
        reason: 'review of run 3 (stage1_image)',
      }),
    );
    fireEvent.change(screen.getByLabelText('Save to (path on this computer)'), {
      target: { value: '/tmp/r.html' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Export report' }));
    expect(await screen.findByText('Report written: /tmp/r.html (1234 bytes)')).toBeTruthy();
    expect(fake.received.find((r) => r.channel === 'run:exportReport')?.input).toEqual({
      runId: 3,
      path: '/tmp/r.html',
      format: 'html',
    });
    // Confident errors of the method: the two wrong test images.
    expect(screen.getByRole('list', { name: 'Misclassified images' }).querySelectorAll('li')).toHaveLength(2);
  });
});
