// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  disagreement,
  MisclassificationGallery,
  sortByConfidentError,
  type GalleryItem,
} from '../../../renderer/results/misclassification-gallery';
import { curveData, METHOD_COLOURS } from '../../../renderer/results/curve-chart';
import { RunProgressView } from '../../../renderer/training/run-progress-view';

afterEach(cleanup);

const item = (
  imageId: number,
  probs: number[],
  byMethod: GalleryItem['byMethod'],
  trueIndex = 0,
): GalleryItem => ({
  imageId,
  trueIndex,
  probs,
  byMethod,
  note: imageId === 2 ? 'Stomach bubble seen.' : null,
  metadata: { probe_orientation: 'transverse', depth_cm: 12.5 },
});

describe('misclassification gallery', () => {
  const items = [
    item(1, [0.4, 0.6, 0], { stage1_image: 1, proposed: 0 }),
    item(2, [0.05, 0.9, 0.05], { stage1_image: 1, proposed: 1, note_only: 0 }),
  ];

  it('puts the most confident errors first', () => {
    expect(sortByConfidentError(items).map((i) => i.imageId)).toEqual([2, 1]);
  });

  it('explains disagreements between methods', () => {
    expect(disagreement(items[0]!)).toBe('Wrong by image alone, right once the note and metadata are fused');
    expect(disagreement(items[1]!)).toBe('The note alone gets it right');
    expect(disagreement(item(3, [1, 0, 0], { stage1_image: 0, proposed: 1 }))).toBe(
      'Right by image alone, wrong once the note and metadata are fused',
    );
  });

  it('shows true and predicted class, probability bars, note and metadata; opens an image', () => {
    const onOpen = vi.fn();
    render(
      <MisclassificationGallery
        items={items}
        classes={['abdomen', 'head', 'femur']}
        method="stage1_image"
        thumbnailUrl={(id) => `/media/thumb/${id}`}
        onOpen={onOpen}
      />,
    );
    const first = screen.getByTestId('gallery-2');
    expect(first.textContent).toContain('true abdomen · predicted head (90 %)');
    expect(first.textContent).toContain('Stomach bubble seen.');
    expect(first.textContent).toContain('probe_orientation: transverse · depth_cm: 12.5');
    expect(first.querySelectorAll('meter')).toHaveLength(3);
    expect((first.querySelector('img') as HTMLImageElement).getAttribute('src')).toBe('/media/thumb/2');
    fireEvent.click(screen.getByRole('button', { name: 'Open image 1' }));
    expect(onOpen).toHaveBeenCalledWith(1);
  });

  it('keeps a given order, names its terms, renders per-item actions, and waits for notes to load', () => {
    const acted = vi.fn();
    render(
      <MisclassificationGallery
        items={[
          { ...items[0]!, note: undefined, metadata: {} },
          { ...items[1]!, caption: '/data/b/img-2.png', shownClass: 2 },
        ]}
        classes={['abdomen', 'head', 'femur']}
        method="stage1_image"
        thumbnailUrl={(id) => `/media/thumb/${id}`}
        label="Likely label errors"
        terms={{ truth: 'given', predicted: 'model says' }}
        sort={false}
        actions={(item) => (
          <button type="button" onClick={() => acted(item.imageId)}>
            Act on {item.imageId}
          </button>
        )}
      />,
    );
    const list = screen.getByRole('list', { name: 'Likely label errors' });
    expect([...list.children].map((li) => li.getAttribute('data-testid'))).toEqual([
      'gallery-1',
      'gallery-2',
    ]);
    const first = screen.getByTestId('gallery-1');
    expect(first.textContent).toContain('given abdomen · model says head (60 %)');
    expect(first.textContent).not.toContain('No note.');
    expect(first.querySelector('.meta-line')).toBeNull();
    const second = screen.getByTestId('gallery-2');
    expect(second.querySelector('.gallery-caption')!.textContent).toBe('img-2.png');
    expect(second.querySelector('.gallery-caption')!.getAttribute('title')).toBe('/data/b/img-2.png');
    expect(second.textContent).toContain('given abdomen · model says femur (5 %)');
    expect(screen.queryByRole('button', { name: /Open image/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Act on 2' }));
    expect(acted).toHaveBeenCalledWith(2);
  });
});

describe('run progress view', () => {
  const curves = [
    {
      method: 'stage1_image' as const,
      epoch: 1,
      trainLoss: 1.2,
      trainAccuracy: 0.5,
      validationLoss: 1.1,
      validationAccuracy: 0.55,
    },
    {
      method: 'stage1_image' as const,
      epoch: 2,
      trainLoss: 0.9,
      trainAccuracy: 0.7,
      validationLoss: 1.0,
      validationAccuracy: 0.6,
    },
    {
      method: 'proposed' as const,
      epoch: 1,
      trainLoss: 0.8,
      trainAccuracy: null,
      validationLoss: null,
      validationAccuracy: 0.7,
    },
  ];

  it('builds a train (solid) and validation (dashed) series per method, one colour per method', () => {
    const loss = curveData(curves, 'loss');
    expect(loss.series.map((s) => [s.label, s.values, s.dashed])).toEqual([
      ['Stage 1: fine-tuned image model · train', [1.2, 0.9], false],
      ['Stage 1: fine-tuned image model · validation', [1.1, 1.0], true],
      ['Proposed: stage-1 backbone + note + metadata · train', [0.8, null], false],
    ]);
    expect(
      curveData(curves, 'accuracy').series.find((s) => s.label.startsWith('Proposed') && s.dashed)?.values,
    ).toEqual([0.7, null]);
    // Colours: both series of a method share one, and no two methods do.
    expect(loss.series[0]!.colour).toBe(loss.series[1]!.colour);
    expect(new Set(Object.values(METHOD_COLOURS)).size).toBe(6);
    // The x axis spans the stage's planned epochs (a 6-epoch stage says 1–6, not 1–20).
    expect(curveData(curves, 'loss', 6).epochs).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('shows stage, epoch, speed, ETA and backend', () => {
    render(
      <RunProgressView
        curves={curves}
        progress={{
          runId: 4,
          seed: 1,
          stage: 'stage1',
          method: 'stage1_image',
          epoch: 2,
          epochs: 5,
          batch: 10,
          batches: 28,
          imagesPerSecond: 5.6,
          etaSeconds: 340,
          backend: 'wasm',
          curve: null,
        }}
      />,
    );
    const facts = screen.getByTestId('run-progress').textContent!;
    expect(facts).toContain('Stage 1: fine-tuning the image backbone — Stage 1: fine-tuned image model');
    expect(facts).toContain('2/5, batch 10/28');
    expect(facts).toContain('5.6/s images');
    expect(facts).toContain('5 min 40 s');
    expect(
      (screen.getByRole('progressbar', { name: 'Progress of the current stage' }) as HTMLProgressElement)
        .value,
    ).toBe(38);
    // The live chart follows the stage in progress over its planned epochs: stage 1 only, 1–5.
    expect(screen.getByRole('img', { name: /^Loss per epoch/ }).getAttribute('aria-label')).toMatch(
      /^Loss per epoch, epochs 1–5: Stage 1: fine-tuned image model · train 2 points, last 0.900; Stage 1: fine-tuned image model · validation 2 points, last 1.000$/,
    );
  });
});
