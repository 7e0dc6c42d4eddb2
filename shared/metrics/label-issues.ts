/**
 * Likely label errors, cleanlab-style (confident learning, Northcutt et al. 2021): from
 * out-of-sample predicted probabilities (out-of-fold or validation predictions — never the
 * training predictions of the same model, which memorise their labels) find images whose given
 * label the model finds implausible, so reviewers can fix labels, not only models.
 */

export interface LabelIssue {
  /** Row index into the inputs. */
  index: number;
  given: number;
  /** The class the confident joint assigns (the suggested label). */
  suggested: number;
  /** p(given label): low means the model doubts the label. */
  selfConfidence: number;
  /** p(given) − max over other classes p(k): negative means another class is preferred. */
  normalizedMargin: number;
}

/**
 * Per-class thresholds t_j = mean p_j over the examples labelled j (the model's average
 * confidence in class j when j is the given label). Classes with no examples get threshold 1.
 */
export const perClassThresholds = (
  given: readonly number[],
  probs: readonly ArrayLike<number>[],
  numClasses: number,
): number[] => {
  const sum = new Array<number>(numClasses).fill(0);
  const count = new Array<number>(numClasses).fill(0);
  given.forEach((g, i) => {
    sum[g]! += probs[i]![g]!;
    count[g]!++;
  });
  return sum.map((s, j) => (count[j]! > 0 ? s / count[j]! : 1));
};

/**
 * The confident-joint off-diagonal: an example labelled i counts as "really j" when p_j ≥ t_j
 * (the most probable such j wins); when j ≠ i it is a likely label issue. Returned sorted by
 * normalized margin, most suspicious first (cleanlab's default ranking).
 */
export const findLabelIssues = (
  given: readonly number[],
  probs: readonly ArrayLike<number>[],
  numClasses: number,
): LabelIssue[] => {
  if (given.length !== probs.length)
    throw new Error(`${given.length} labels but ${probs.length} probability rows`);
  const thresholds = perClassThresholds(given, probs, numClasses);
  const issues: LabelIssue[] = [];
  given.forEach((g, index) => {
    const p = probs[index]!;
    let suggested = -1;
    for (let j = 0; j < numClasses; j++) {
      if (p[j]! >= thresholds[j]! && (suggested < 0 || p[j]! > p[suggested]!)) suggested = j;
    }
    if (suggested < 0 || suggested === g) return;
    let otherMax = -Infinity;
    for (let j = 0; j < numClasses; j++) if (j !== g) otherMax = Math.max(otherMax, p[j]!);
    issues.push({ index, given: g, suggested, selfConfidence: p[g]!, normalizedMargin: p[g]! - otherMax });
  });
  return issues.sort((a, b) => a.normalizedMargin - b.normalizedMargin || a.index - b.index);
};
