// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPreset } from '../../../shared/augment/augment-presets';
import type { RunProgress } from '../../../shared/run/run-progress';
import { TrainingScreen } from '../../../renderer/training/training-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { createFakeRuns } from '../fake-runs';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const setup = () => {
  const catalog = createFakeCatalog({ images: 12 });
  const runs = createFakeRuns(catalog);
  const fake = createFakeApi({
    ...catalog.answers,
    ...runs.answers,
    'augment:datasetConfig': () => ({
      ok: true,
      value: {
        datasetId: 1,
        version: 2,
        preset: 'ultrasound-default',
        config: buildPreset('ultrasound-default'),
        savedAt: 'now',
        savedBy: 'alice',
      },
    }),
  });
  const view = renderScreen(<TrainingScreen />, fake.api);
  return { fake, runs, catalog, view };
};

const calls = (fake: ReturnType<typeof createFakeApi>, channel: string) =>
  fake.received.filter((r) => r.channel === channel).map((r) => r.input);

const progress = (over: Partial<RunProgress> = {}): RunProgress => ({
  runId: 4,
  seed: 1,
  stage: 'stage1',
  method: 'stage1_image',
  epoch: 2,
  epochs: 10,
  batch: 5,
  batches: 28,
  imagesPerSecond: 12.5,
  etaSeconds: 300,
  backend: 'wasm (2 wasm replica threads)',
  curve: null,
  ...over,
});

const enabledRunButton = async () => {
  const button = await screen.findByRole('button', { name: 'Run all methods' });
  await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
  return button;
};

describe('TrainingScreen: starting a run', () => {
  it('starts every method on the chosen dataset and task with the defaults', async () => {
    const { fake } = setup();
    expect(((await screen.findByLabelText('Dataset')) as HTMLSelectElement).value).toBe('1');
    await waitFor(() => expect((screen.getByLabelText('Task') as HTMLSelectElement).value).toBe('label'));
    fireEvent.click(await enabledRunButton());
    await waitFor(() => expect(calls(fake, 'run:start')).toHaveLength(1));
    const { config } = calls(fake, 'run:start')[0] as { config: Record<string, unknown> };
    expect(config).toMatchObject({
      dataset: 'busi',
      task: 'label',
      imageSize: 160,
      batchSize: 20,
      seed: 1,
      seeds: 1,
      stage1: { epochs: 20, optimizer: 'adam', lr: 3e-4 },
      stage2: { epochs: 8, head: 'linear' },
      heads: { epochs: 30 },
    });
    // The run trains the dataset's saved augmentation: the form shows it and sends no preset of its own.
    expect(config.augmentation).toBeUndefined();
    expect(screen.getByTestId('run-augmentation').textContent).toBe('Ultrasound default · version 2');
    expect(config.methods).toEqual([
      'linear_probe',
      'traditional_multimodal',
      'stage1_image',
      'proposed',
      'note_only',
      'metadata_only',
    ]);
  });

  it('sends the Advanced drawer settings in the run config', async () => {
    const { fake } = setup();
    await enabledRunButton();
    const set = (label: string, value: string) =>
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    set('Stage 1 epochs', '3');
    set('Stage 2 epochs', '4');
    set('Head epochs', '12');
    set('Image size (px)', '224');
    set('Batch size', '16');
    set('Seed', '7');
    set('Seeds', '3');
    set('Stage 1 learning rate', '0.0005');
    set('Stage 1 optimizer', 'sgd');
    set('Stage 2 head', 'mlp');
    set('Stage 2 learning rate', '0.002');
    set('Head learning rate', '0.05');
    set('Note encoder', 'none');
    set('Image backbone folder', ' /models/us-net ');
    set('Metadata fields', 'depth_cm, probe_orientation,');
    set('Test-time views', '4');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Note only' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Metadata only' }));
    // Unticked and ticked again: the methods stay in their canonical order.
    fireEvent.click(screen.getByRole('checkbox', { name: /^Linear probe/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /^Linear probe/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Run all methods' }));
    await waitFor(() => expect(calls(fake, 'run:start')).toHaveLength(1));
    expect(calls(fake, 'run:start')[0]).toEqual({
      config: {
        dataset: 'busi',
        task: 'label',
        seed: 7,
        seeds: 3,
        imageSize: 224,
        batchSize: 16,
        methods: ['linear_probe', 'traditional_multimodal', 'stage1_image', 'proposed'],
        stage1: { epochs: 3, optimizer: 'sgd', lr: 0.0005 },
        stage2: { epochs: 4, head: 'mlp', lr: 0.002 },
        heads: { epochs: 12, lr: 0.05 },
        evaluation: { views: 4 },
        encoders: {
          text: { kind: 'none' },
          image: { kind: 'folder', path: '/models/us-net' },
          metadataFields: ['depth_cm', 'probe_orientation'],
        },
      },
    });
  });

  it('names an invalid setting and starts nothing', async () => {
    const { fake } = setup();
    await enabledRunButton();
    fireEvent.change(screen.getByLabelText('Image size (px)'), { target: { value: '8' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run all methods' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Image size \(px\) \(imageSize\):.*64/);
    for (const m of ['Linear probe', 'Traditional', 'Stage 1', 'Proposed', 'Note only', 'Metadata only'])
      fireEvent.click(screen.getByRole('checkbox', { name: new RegExp(m) }));
    fireEvent.change(screen.getByLabelText('Image size (px)'), { target: { value: '160' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run all methods' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/Methods \(methods\)/));
    expect(calls(fake, 'run:start')).toEqual([]);
  });

  it('shows what main refuses (e.g. a task without labels)', async () => {
    const catalog = createFakeCatalog({ images: 12 });
    const runs = createFakeRuns(catalog);
    const fake = createFakeApi({
      ...catalog.answers,
      ...runs.answers,
      'run:start': () => ({
        ok: false,
        error: { code: 'CONFLICT', message: 'task "label" has fewer than 2 labelled classes' },
      }),
    });
    renderScreen(<TrainingScreen />, fake.api);
    fireEvent.click(await enabledRunButton());
    expect((await screen.findByRole('alert')).textContent).toContain('fewer than 2 labelled classes');
  });
});

describe('TrainingScreen: a run in flight', () => {
  it('lists the started run, shows its live progress and curves, cancels and resumes it', async () => {
    const { fake, runs } = setup();
    fireEvent.click(await enabledRunButton());
    expect(await screen.findByText('Run 4 is queued.')).toBeTruthy();
    // While a run is in flight another one can be queued behind it.
    const queue = screen.getByRole('button', { name: 'Queue run' }) as HTMLButtonElement;
    expect(queue.disabled).toBe(false);
    expect(screen.getByText(/waits in the queue/)).toBeTruthy();

    runs.setStatus(4, 'running');
    act(() => fake.emit('run:onStatus', { runId: 4, status: 'running', error: null }));
    expect(await screen.findByText(/Run 4 is starting/)).toBeTruthy();
    act(() => fake.emit('run:onProgress', progress()));
    const facts = await screen.findByTestId('run-progress');
    expect(facts.textContent).toContain(
      'Stage 1: fine-tuning the image backbone — Stage 1: fine-tuned image model',
    );
    expect(facts.textContent).toContain('2/10, batch 5/28');
    expect(facts.textContent).toContain('12.5/s images');
    expect(facts.textContent).toContain('5 min 00 s');
    expect(facts.textContent).toContain('wasm (2 wasm replica threads)');
    // The progress panel sits above the run form, not below it off screen.
    const form = screen.getByRole('region', { name: 'New run' });
    expect(facts.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    for (const epoch of [1, 2])
      act(() =>
        fake.emit(
          'run:onProgress',
          progress({
            epoch,
            batch: 28,
            curve: {
              method: 'stage1_image',
              epoch,
              trainLoss: 1 / epoch,
              trainAccuracy: null,
              validationLoss: 1.2 / epoch,
              validationAccuracy: 0.5 + epoch / 10,
            },
          }),
        ),
      );
    const loss = screen.getByRole('img', { name: /^Loss per epoch/ });
    expect(loss.getAttribute('aria-label')).toContain('Stage 1: fine-tuned image model · train 2 points');
    expect(loss.getAttribute('aria-label')).toContain(
      'Stage 1: fine-tuned image model · validation 2 points',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Cancel run 4' }));
    await waitFor(() => expect(calls(fake, 'run:cancel')).toEqual([{ runId: 4 }]));
    expect(await screen.findByRole('button', { name: 'Cancelling run 4…' })).toBeTruthy();
    runs.setStatus(4, 'cancelled');
    act(() => fake.emit('run:onStatus', { runId: 4, status: 'cancelled', error: null }));
    const row = await screen.findByTestId('run-row-4');
    await waitFor(() => expect(row.textContent).toContain('Cancelled'));
    // The curves stay on screen after the cancel, in a panel that says so.
    const stopped = await screen.findByRole('region', { name: 'Run 4 stopped' });
    expect(
      within(stopped)
        .getByRole('img', { name: /^Loss per epoch/ })
        .getAttribute('aria-label'),
    ).toContain('Stage 1: fine-tuned image model · train 2 points');
    fireEvent.click(within(row).getByRole('button', { name: 'Resume run 4' }));
    await waitFor(() => expect(calls(fake, 'run:resume')).toEqual([{ runId: 4 }]));
    expect(await screen.findByRole('button', { name: 'Cancel run 4' })).toBeTruthy();
  });

  it('after a reload shows the run that kept training from run:list and keeps listening', async () => {
    const { fake, runs, view } = setup();
    fireEvent.click(await enabledRunButton());
    await screen.findByText('Run 4 is queued.');
    runs.setStatus(4, 'running');
    view.unmount();
    renderScreen(<TrainingScreen />, fake.api);
    expect(await screen.findByText(/Run 4 is starting/)).toBeTruthy();
    act(() =>
      fake.emit('run:onProgress', progress({ stage: 'heads', method: 'note_only', epoch: 7, epochs: 30 })),
    );
    expect((await screen.findByTestId('run-progress')).textContent).toContain('7/30');
    runs.setStatus(4, 'failed', 'TRAINER_CRASHED: out of memory');
    act(() =>
      fake.emit('run:onStatus', { runId: 4, status: 'failed', error: 'TRAINER_CRASHED: out of memory' }),
    );
    const row = await screen.findByTestId('run-row-4');
    await waitFor(() => expect(row.textContent).toContain('TRAINER_CRASHED: out of memory'));
    expect(screen.queryByTestId('run-progress')).toBeNull();
    expect(within(row).getByRole('button', { name: 'Resume run 4' })).toBeTruthy();
  });

  it('after a reload draws the stored curves at once and merges live points per seed', async () => {
    const { fake, runs, view } = setup();
    fireEvent.click(await enabledRunButton());
    await screen.findByText('Run 4 is queued.');
    runs.setStatus(4, 'running');
    const point = (seed: number, epoch: number, trainLoss: number) => ({
      seed,
      method: 'stage1_image' as const,
      epoch,
      trainLoss,
      trainAccuracy: null,
      validationLoss: trainLoss + 0.1,
      validationAccuracy: 0.5,
    });
    runs.curves[4] = [point(1, 1, 0.9), point(1, 2, 0.8), point(1, 3, 0.7)];
    view.unmount();
    renderScreen(<TrainingScreen />, fake.api);
    // No progress event yet: the three stored epochs are drawn from run:curves.
    const stored = await screen.findByRole('img', { name: /^Loss per epoch/ });
    expect(stored.getAttribute('aria-label')).toContain('Stage 1: fine-tuned image model · train 3 points');
    expect(calls(fake, 'run:curves')).toContainEqual({ runId: 4 });
    const live = (seed: number, epoch: number, trainLoss: number) => {
      const { seed: _seed, ...curve } = point(seed, epoch, trainLoss);
      act(() => fake.emit('run:onProgress', progress({ seed, epoch, curve })));
    };
    live(1, 4, 0.6); // a new epoch adds a point
    live(1, 3, 0.65); // epoch 3 re-sent after a resume replaces the stored one
    const loss = () => screen.getByRole('img', { name: /^Loss per epoch/ }).getAttribute('aria-label');
    expect(loss()).toContain('Stage 1: fine-tuned image model · train 4 points');
    expect(screen.getByTestId('run-progress').textContent).toContain('3/10');
    live(2, 1, 0.95); // the second seed starts: its own curve
    expect(loss()).toContain('Stage 1: fine-tuned image model · train 1 points');
  });
});
