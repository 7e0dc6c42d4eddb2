import type { AssistSimResult, AssistStrategy } from '../../shared/contract/assistant';
import type { AssistantPool } from './assistant-data';
import { accuracyOf, fitRows, runSimulation, type SimData } from './assist-sim';
import { standardiseColumns } from './feature-matrix';
import { predictSoftmax } from './softmax-head';

/** L2 strengths tried on the validation part (with and without class weights). */
export const L2_GRID = [1e-4, 1e-3, 1e-2, 1e-1] as const;

/**
 * Raw features → the assistant's matrix: every column standardised on the whole pool (no labels
 * are read). Measured on BUSI (validation part): the full 1280 columns beat a 256-column random
 * projection and a 64-256 component PCA, so nothing is reduced.
 */
export const assistantMatrix = (raw: { x: Float32Array; dim: number }, rows: number) => ({
  x: standardiseColumns(raw.x, rows, raw.dim),
  dim: raw.dim,
});

/**
 * `assist-sim` on a catalog pool: the labeled training-part images are the pool the strategies
 * draw from, the labeled test part is scored every round; validation only picks the L2 strength.
 */
export const simulatePool = (
  pool: AssistantPool,
  raw: { x: Float32Array; dim: number },
  o: { strategies: readonly AssistStrategy[]; seeds: readonly number[]; start: number; batch: number },
): AssistSimResult => {
  const m = assistantMatrix(raw, pool.rows.length);
  const where = (part: string) =>
    pool.rows.flatMap((r, i) => (r.part === part && r.label !== null && r.label >= 0 ? [i] : []));
  const data: SimData = {
    x: m.x,
    dim: m.dim,
    classes: pool.classes.length,
    y: Int32Array.from(pool.rows, (r) => r.label ?? -1),
    pool: where('train'),
    test: where('test'),
  };
  const validation = where('validation');
  // Tuned on the validation part only (all training-part labels): the L2 strength and whether
  // classes are weighed by inverse frequency; the first best in grid order wins ties.
  const grid = [true, false].flatMap((balanced) => L2_GRID.map((l2) => ({ l2, balanced })));
  const head =
    validation.length === 0
      ? { l2: 1e-2, balanced: true }
      : grid
          .map((h) => ({
            h,
            acc: accuracyOf(
              predictSoftmax(fitRows(data, data.pool, h), data.x, validation),
              data.classes,
              validation,
              data.y,
            ),
          }))
          .reduce((a, b) => (b.acc > a.acc ? b : a)).h;
  const sim = runSimulation(data, { ...o, head });
  return {
    datasetId: pool.datasetId,
    task: pool.task,
    createdAt: new Date().toISOString(),
    n: data.pool.length,
    testSize: data.test.length,
    start: o.start,
    batch: o.batch,
    seeds: [...o.seeds],
    allLabelsAccuracy: sim.allLabelsAccuracy,
    curves: sim.curves,
  };
};
