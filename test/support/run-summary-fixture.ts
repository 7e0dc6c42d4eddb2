import { classificationMetrics } from '../../shared/metrics/classification-metrics';
import { RunConfig } from '../../shared/run/run-config';
import type { Misclassified, RunSummary } from '../../shared/run/run-result';

const probsFor = (predicted: number[], conf = 0.8) =>
  predicted.map((p) => [0, 1, 2].map((c) => (c === p ? conf : (1 - conf) / 2)));

/** A small finished run with hand-checkable numbers: 3 classes, 6 test images per method. */
export const runSummaryFixture = (): RunSummary => {
  const truth = [0, 0, 1, 1, 2, 2];
  const metrics = (predicted: number[]) => classificationMetrics(truth, probsFor(predicted), 3);
  return {
    runId: 7,
    createdAt: '2026-11-28T10:00:00.000Z',
    status: 'succeeded',
    dataset: 'busi <demo>',
    task: 'diagnosis',
    classes: ['benign', 'malignant', 'normal'],
    config: RunConfig.parse({ dataset: 'busi <demo>' }),
    backend: 'wasm',
    labelVersion: 120,
    split: {
      id: 3,
      name: 'default',
      groupedBy: 'patient_id',
      counts: {
        train: { benign: 10, malignant: 5, normal: 3 },
        validation: { benign: 2, malignant: 2, normal: 2 },
        test: { benign: 2, malignant: 2, normal: 2 },
      },
    },
    methods: {
      // stage 1: 4/6 right; proposed: 5/6 right; note only: 2/6 right.
      stage1_image: {
        validation: metrics([0, 0, 1, 1, 2, 2]),
        test: metrics([0, 1, 1, 0, 2, 2]),
        bestEpoch: 3,
        seedSpread: null,
      },
      proposed: {
        validation: metrics([0, 0, 1, 1, 2, 2]),
        test: metrics([0, 0, 1, 0, 2, 2]),
        bestEpoch: 2,
        seedSpread: {
          accuracy: { mean: 0.8, sd: 0.05, n: 3 },
          macroF1: { mean: 0.78, sd: 0.04, n: 3 },
          balancedAccuracy: { mean: 0.8, sd: 0.05, n: 3 },
        },
      },
      note_only: {
        validation: metrics([0, 1, 1, 2, 2, 0]),
        test: metrics([1, 0, 1, 2, 0, 2]),
        bestEpoch: 10,
        seedSpread: null,
      },
    },
    skipped: {},
    notices: [],
    timing: { stage1: 120.5, stage2: 30.25 },
  };
};

export const misclassifiedFixture = (): Misclassified[] => [
  {
    imageId: 11,
    file: 'benign/<script>alert(1)</script>.png',
    method: 'proposed',
    split: 'test',
    trueLabel: 'malignant',
    predicted: 'benign',
    confidence: 0.8,
  },
  {
    imageId: 12,
    file: '=HYPERLINK("x")',
    method: 'stage1_image',
    split: 'test',
    trueLabel: 'benign',
    predicted: 'malignant',
    confidence: 0.8,
  },
];
