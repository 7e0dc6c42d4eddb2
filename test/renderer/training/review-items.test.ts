import { describe, expect, it } from 'vitest';
import type { RunPrediction } from '../../../shared/contract/index';
import {
  cellPredictions,
  likelyLabelErrors,
  predictionsByImage,
  toGalleryItem,
} from '../../../renderer/training/review-items';
import { findLabelIssues } from '../../../shared/metrics/label-issues';
import { RUN_CLASSES, runPredictionRows } from '../fake-runs';

const rows = runPredictionRows();
const stage1 = rows.filter((p) => p.method === 'stage1_image');

describe('review items', () => {
  it('picks the predictions of one confusion cell', () => {
    const test = stage1.filter((p) => p.split === 'test');
    expect(cellPredictions(test, RUN_CLASSES, 1, 0).map((p) => p.imageId)).toEqual([10]);
    expect(cellPredictions(test, RUN_CLASSES, 0, 0).map((p) => p.imageId)).toEqual([7]);
    expect(cellPredictions(test, RUN_CLASSES, 2, 1)).toEqual([]);
  });

  it('collects what every method predicted for each image', () => {
    // Image 8: stage 1 says malignant, the proposed method benign, note-only benign.
    expect(predictionsByImage(rows, RUN_CLASSES).get(8)).toEqual({
      stage1_image: 1,
      proposed: 0,
      note_only: 0,
    });
  });

  it('turns a prediction into a gallery card, leaving out images without a known class', () => {
    const p = stage1.find((x) => x.imageId === 8)!;
    const item = toGalleryItem(p, RUN_CLASSES, predictionsByImage(rows, RUN_CLASSES), {
      8: { note: 'Calcifications.', metadata: { age: 41 }, labels: ['benign'] },
    });
    expect(item).toMatchObject({ imageId: 8, trueIndex: 0, note: 'Calcifications.', caption: 'img-008.png' });
    expect(toGalleryItem(p, RUN_CLASSES, new Map(), {})!.note).toBeUndefined();
    expect(toGalleryItem({ ...p, actual: null }, RUN_CLASSES, new Map(), {})).toBeNull();
    expect(toGalleryItem({ ...p, actual: 'cyst' }, RUN_CLASSES, new Map(), {})).toBeNull();
  });

  it('keeps only label issues where another class beats the given one', () => {
    // A model that calls everything benign at 0.7: with six benign images the benign threshold
    // rounds to just above 0.7, so confident learning "suggests" malignant for benign images
    // (margin +0.55). Those are not label errors; a normal image called benign is (margin −0.55).
    const classes = [0, 0, 0, 0, 0, 0, 1, 2];
    const flat: RunPrediction[] = classes.map((c, i) => ({
      ...stage1[0]!,
      imageId: i + 1,
      actual: RUN_CLASSES[c]!,
      predicted: 'benign',
      probs: [0.7, 0.15, 0.15],
    }));
    const raw = findLabelIssues(
      classes,
      flat.map((p) => p.probs),
      3,
    );
    expect(raw.some((i) => i.normalizedMargin > 0)).toBe(true);
    expect(likelyLabelErrors(flat, RUN_CLASSES).map((i) => i.prediction.imageId)).toEqual(
      raw.filter((i) => i.normalizedMargin < 0).map((i) => i.index + 1),
    );
    expect(likelyLabelErrors(flat, RUN_CLASSES).map((i) => i.given)).toContain(2);
    expect(likelyLabelErrors(flat, RUN_CLASSES).every((i) => i.given !== 0)).toBe(true);
    // Stage 1 of the fake run: images 4, 8, 10, each with a negative margin.
    const issues = likelyLabelErrors(stage1, RUN_CLASSES);
    expect(issues.map((i) => [i.prediction.imageId, i.given, i.suggested])).toEqual([
      [4, 1, 2],
      [8, 0, 1],
      [10, 1, 0],
    ]);
  });
});
