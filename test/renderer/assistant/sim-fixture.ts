import type { AssistSimResult } from '../../../shared/contract/index';

/** Two seeds of random and diverse-uncertainty over 10/20/30 labels; all-labels accuracy 0.8. */
export const SIM: AssistSimResult = {
  datasetId: 1,
  task: 'label',
  createdAt: '2026-12-04T15:00:00.000Z',
  n: 300,
  testSize: 60,
  start: 10,
  batch: 10,
  seeds: [1, 2],
  allLabelsAccuracy: 0.8,
  curves: [
    {
      strategy: 'random',
      seed: 1,
      labels: [10, 20, 30],
      accuracy: [0.5, 0.6, 0.7],
      auc: 0.6,
      labelsTo95: null,
      suggestionAccuracy: 0.5,
    },
    {
      strategy: 'random',
      seed: 2,
      labels: [10, 20, 30],
      accuracy: [0.5, 0.7, 0.78],
      auc: 0.65,
      labelsTo95: 30,
      suggestionAccuracy: 0.6,
    },
    {
      strategy: 'diverse-uncertainty',
      seed: 1,
      labels: [10, 20, 30],
      accuracy: [0.5, 0.77, 0.8],
      auc: 0.7,
      labelsTo95: 20,
      suggestionAccuracy: 0.7,
    },
    {
      strategy: 'diverse-uncertainty',
      seed: 2,
      labels: [10, 20, 30],
      accuracy: [0.6, 0.78, 0.79],
      auc: 0.72,
      labelsTo95: 10,
      suggestionAccuracy: 0.8,
    },
  ],
};
