import type { RunTimingPhase } from '../../shared/run/run-timing';

/** Wall-clock seconds per run phase (shared/run/run-timing.ts), phases not overlapping. */
export interface PhaseTimer {
  /**
   * Runs `f` as `phase`. A phase timed inside another is taken out of the outer one, so the
   * phases add up to the time spent in any of them. The job's work is one sequence of awaits, so
   * one stack of open phases describes it.
   */
  timed<T>(phase: RunTimingPhase, f: () => Promise<T>): Promise<T>;
  /** Seconds per phase so far (only phases that ran). */
  readonly seconds: Readonly<Partial<Record<RunTimingPhase, number>>>;
}

/** A fresh timer; `now` (milliseconds) is for tests. */
export const createPhaseTimer = (now: () => number = () => performance.now()): PhaseTimer => {
  const seconds: Partial<Record<RunTimingPhase, number>> = {};
  const open: RunTimingPhase[] = [];
  let mark = now();
  /** Charges the time since the last mark to the innermost open phase. */
  const charge = () => {
    const t = now();
    const top = open[open.length - 1];
    if (top !== undefined) seconds[top] = (seconds[top] ?? 0) + (t - mark) / 1000;
    mark = t;
  };
  return {
    seconds,
    async timed(phase, f) {
      charge();
      open.push(phase);
      seconds[phase] ??= 0;
      try {
        return await f();
      } finally {
        charge();
        open.pop();
      }
    },
  };
};
