import type { FitProgress } from './fit-types';

/** Feeds progress samples and emits at most one per interval (plus forced ones at epoch ends). */
export interface ProgressMeter {
  /** Count `samples` trained now; emit if the interval passed or `force`. */
  update(state: Omit<FitProgress, 'imagesPerSecond' | 'etaSeconds'>, samples: number, force?: boolean): void;
}

/**
 * Throttles progress (default 250 ms, ~4 Hz, house style §5) and derives images/s and ETA from
 * the samples trained since this meter started. `remainingSamples` tells it the work left.
 */
export const createProgressMeter = (options: {
  emit: (p: FitProgress) => void;
  intervalMs?: number;
  now: () => number;
  remainingSamples: () => number;
}): ProgressMeter => {
  const interval = options.intervalMs ?? 250;
  const start = options.now();
  let last = -Infinity;
  let trained = 0;
  return {
    update(state, samples, force = false) {
      trained += samples;
      const t = options.now();
      if (!force && t - last < interval) return;
      last = t;
      const seconds = (t - start) / 1000;
      const rate = seconds > 0 ? trained / seconds : 0;
      const remaining = options.remainingSamples();
      options.emit({
        ...state,
        imagesPerSecond: Math.round(rate * 100) / 100,
        etaSeconds: rate > 0 ? Math.round(remaining / rate) : null,
      });
    },
  };
};
