/**
 * Near-duplicate check between the training part and the evaluation parts of a split, on the
 * frozen pretrained image features: an evaluation image whose nearest training image has cosine
 * similarity ≥ `threshold` is almost certainly the same frame (e.g. with and without calipers) —
 * datasets without patient ids, like BUSI, carry such pairs across a random split, and they make
 * test metrics optimistic. The run reports the count as a notice; the split itself is not changed.
 */
export interface NearDuplicatePair {
  part: 'validation' | 'test';
  /** Row index within the part and within the training part. */
  row: number;
  trainRow: number;
  similarity: number;
}

export interface NearDuplicateReport {
  threshold: number;
  /** Evaluation rows checked per part (all of them unless the set was sampled). */
  checked: { validation: number; test: number };
  pairs: NearDuplicatePair[];
}

/** Unit-length copies of the rows (zero rows stay zero). */
const normalised = (x: Float32Array, dim: number): Float32Array => {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / dim; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += x[r * dim + i]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < dim; i++) out[r * dim + i] = x[r * dim + i]! * inv;
  }
  return out;
};

/**
 * For every validation and test row, the most similar training row; pairs at or above
 * `threshold` are returned. Above `maxProducts` row pairs per part, evenly spaced evaluation rows
 * are checked (the count then covers that sample).
 */
export const findNearDuplicates = (
  features: { train: Float32Array; validation: Float32Array; test: Float32Array },
  dim: number,
  options: { threshold?: number; maxProducts?: number } = {},
): NearDuplicateReport => {
  const threshold = options.threshold ?? 0.99;
  const maxProducts = options.maxProducts ?? 4e6;
  const train = normalised(features.train, dim);
  const nTrain = train.length / dim;
  const pairs: NearDuplicatePair[] = [];
  const checked = { validation: 0, test: 0 };
  for (const part of ['validation', 'test'] as const) {
    const evalRows = normalised(features[part], dim);
    const n = evalRows.length / dim;
    const budget = Math.max(1, Math.floor(maxProducts / Math.max(1, nTrain)));
    const step = n > budget ? n / budget : 1;
    for (let k = 0; k * step < n; k++) {
      const r = Math.floor(k * step);
      checked[part] += 1;
      let best = -Infinity;
      let bestRow = -1;
      for (let t = 0; t < nTrain; t++) {
        let d = 0;
        for (let i = 0; i < dim; i++) d += evalRows[r * dim + i]! * train[t * dim + i]!;
        if (d > best) {
          best = d;
          bestRow = t;
        }
      }
      if (best >= threshold) pairs.push({ part, row: r, trainRow: bestRow, similarity: best });
    }
  }
  return { threshold, checked, pairs };
};

/** The run's notice, or null when no pair was found. */
export const nearDuplicateNotice = (report: NearDuplicateReport): string | null => {
  const count = (part: 'validation' | 'test') => report.pairs.filter((p) => p.part === part).length;
  const [v, t] = [count('validation'), count('test')];
  if (v + t === 0) return null;
  return (
    `${t} of ${report.checked.test} test and ${v} of ${report.checked.validation} validation images have a ` +
    `near-identical training image (cosine ≥ ${report.threshold} of pretrained features): metrics may be ` +
    `optimistic; put such images in one group (e.g. a patient_id column) before splitting`
  );
};
