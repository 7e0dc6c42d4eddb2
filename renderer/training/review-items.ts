import type { RunPrediction } from '../../shared/contract/index';
import { findLabelIssues } from '../../shared/metrics/label-issues';
import type { RunMethod } from '../../shared/run/run-config';
import type { GalleryItem } from '../results/misclassification-gallery';
import type { ImageContext } from './use-image-details';

/** The predictions of one confusion cell: true class t predicted as p. */
export const cellPredictions = (
  predictions: readonly RunPrediction[],
  classes: readonly string[],
  t: number,
  p: number,
): RunPrediction[] => predictions.filter((x) => x.actual === classes[t] && x.predicted === classes[p]);

/** imageId → method → predicted class index, for "how did the other methods do". */
export const predictionsByImage = (
  all: readonly RunPrediction[],
  classes: readonly string[],
): Map<number, Partial<Record<RunMethod, number>>> => {
  const out = new Map<number, Partial<Record<RunMethod, number>>>();
  for (const p of all) {
    const row = out.get(p.imageId) ?? {};
    row[p.method] = classes.indexOf(p.predicted);
    out.set(p.imageId, row);
  }
  return out;
};

/** A prediction as a gallery card (predictions without a known true class are left out). */
export const toGalleryItem = (
  p: RunPrediction,
  classes: readonly string[],
  byImage: ReadonlyMap<number, Partial<Record<RunMethod, number>>>,
  details: Readonly<Record<number, ImageContext>>,
): GalleryItem | null => {
  const trueIndex = p.actual === null ? -1 : classes.indexOf(p.actual);
  if (trueIndex < 0) return null;
  const context = details[p.imageId];
  return {
    imageId: p.imageId,
    trueIndex,
    probs: p.probs,
    byMethod: byImage.get(p.imageId) ?? {},
    note: context ? context.note : undefined,
    metadata: context?.metadata ?? {},
    caption: p.file,
    split: p.split,
  };
};

/**
 * Likely label errors of one method: confident learning over its validation and test (held-out)
 * predictions, most suspicious first; each with the given and the suggested class. Only images
 * where another class is more probable than the given one are kept (negative margin): an image
 * whose label is still the model's first choice is not worth a reviewer's time, and near-ties of
 * the per-class thresholds would otherwise list such images.
 */
export const likelyLabelErrors = (
  predictions: readonly RunPrediction[],
  classes: readonly string[],
): Array<{ prediction: RunPrediction; given: number; suggested: number; selfConfidence: number }> => {
  const known = predictions.filter((p) => p.actual !== null && classes.includes(p.actual));
  return findLabelIssues(
    known.map((p) => classes.indexOf(p.actual!)),
    known.map((p) => p.probs),
    classes.length,
  )
    .filter((i) => i.normalizedMargin < 0)
    .map((i) => ({
      prediction: known[i.index]!,
      given: i.given,
      suggested: i.suggested,
      selfConfidence: i.selfConfidence,
    }));
};
