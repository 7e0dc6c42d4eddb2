import type { AssistSimResult, AssistStrategy } from '../../shared/contract/assistant';
import type { AssistantPool } from './assistant-data';
import { accuracyOf, fitRows, runSimulation, type SimData } from './assist-sim';
import { concatColumns, standardiseColumns } from './feature-matrix';
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

/** What validation chose: the input columns, L2 strength and class weighting. */
export interface SimChoice {
  notes: boolean;
  l2: number;
  balanced: boolean;
  validationAccuracy: number;
}

/**
 * `assist-sim` on a catalog pool: the labeled training-part images are the pool the strategies
 * draw from, the labeled test part is scored every round. The VALIDATION part alone chooses
 * (all training-part labels): image features alone or with note embeddings (when `notes` is
 * given), the L2 strength and whether classes are weighed by inverse frequency; the first best in
 * grid order wins ties.
 */
export const simulatePool = (
  pool: AssistantPool,
  raw: { x: Float32Array; dim: number },
  o: { strategies: readonly AssistStrategy[]; seeds: readonly number[]; start: number; batch: number },
  notes: { x: Float32Array; dim: number } | null = null,
): { result: AssistSimResult; choice: SimChoice } => {
  const { choice, data } = chooseOnValidation(pool, raw, notes);
  const sim = runSimulation(data, { ...o, head: { l2: choice.l2, balanced: choice.balanced } });
  return {
    choice,
    result: {
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
    },
  };
};

/**
 * The validation part's choice of input columns, L2 and class weighting (see `simulatePool`),
 * with the simulation data (pool = labeled training part, test = labeled test part) and the
 * labeled validation rows, so strategy settings can be tuned on validation alone.
 */
export const chooseOnValidation = (
  pool: AssistantPool,
  raw: { x: Float32Array; dim: number },
  notes: { x: Float32Array; dim: number } | null = null,
): { choice: SimChoice; data: SimData; validation: number[] } => {
  const n = pool.rows.length;
  const image = assistantMatrix(raw, n);
  const inputs = [{ notes: false, m: image }];
  if (notes) inputs.push({ notes: true, m: concatColumns(n, [image, assistantMatrix(notes, n)]) });
  const where = (part: string) =>
    pool.rows.flatMap((r, i) => (r.part === part && r.label !== null && r.label >= 0 ? [i] : []));
  const y = Int32Array.from(pool.rows, (r) => r.label ?? -1);
  const dataOf = (m: { x: Float32Array; dim: number }): SimData => ({
    x: m.x,
    dim: m.dim,
    classes: pool.classes.length,
    y,
    pool: where('train'),
    test: where('test'),
  });
  const validation = where('validation');
  let best: { choice: SimChoice; data: SimData } | null = null;
  for (const input of inputs) {
    const data = dataOf(input.m);
    for (const balanced of [true, false])
      for (const l2 of L2_GRID) {
        const acc =
          validation.length === 0
            ? 0
            : accuracyOf(
                predictSoftmax(fitRows(data, data.pool, { l2, balanced }), data.x, validation),
                data.classes,
                validation,
                y,
              );
        if (!best || acc > best.choice.validationAccuracy)
          best = { choice: { notes: input.notes, l2, balanced, validationAccuracy: acc }, data };
      }
  }
  return { ...best!, validation };
};
