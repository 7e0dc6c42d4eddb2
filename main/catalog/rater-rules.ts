import type { ImageDetail, ImagePage, RaterLabel } from '../../shared/contract/catalog';
import type {
  AdjudicationItem,
  AdjudicationQueue,
  AgreementReport,
  RaterRole,
} from '../../shared/contract/raters';
import { raterAgreement } from '../../shared/metrics/rater-agreement';

/**
 * The multi-rater rules, the same on both engines (SQLite: catalog-raters.ts, PostgreSQL:
 * catalog-store/pg-rater-store.ts): each engine reads rows, these decide. Pure functions.
 */

/** One stored rater label (rater_labels joined to its class name). */
export interface RatingRow {
  image_id: number;
  rater: string;
  label: string;
  at: string;
}

/** How a run's training label of one image was chosen under the multi-rater rule. */
export type TrainingLabelSource = 'decided' | 'majority';

export interface TrainingLabels {
  /** image id -> the label it trains on, and where it came from. */
  labels: Map<number, { label: string; source: TrainingLabelSource }>;
  /** Undecided images whose ratings tie for the most votes (left out of the run). */
  ties: number[];
  /** Undecided images nobody rated (left out of the run). */
  unrated: number[];
}

export const groupRatings = (rows: readonly RatingRow[]): Map<number, RaterLabel[]> => {
  const map = new Map<number, RaterLabel[]>();
  for (const r of rows) {
    const list = map.get(r.image_id);
    const rating = { rater: r.rater, label: r.label, at: r.at };
    if (list) list.push(rating);
    else map.set(r.image_id, [rating]);
  }
  return map;
};

/** Undecided images whose raters disagree, and those with fewer labels than asked (in id order). */
export const buildAdjudicationQueue = (input: {
  images: ReadonlyArray<{ id: number; file: string }>;
  decided: ReadonlySet<number>;
  rated: ReadonlyMap<number, RaterLabel[]>;
  raters: number;
  classes: string[];
  limit: number;
}): AdjudicationQueue => {
  const disagreements: AdjudicationItem[] = [];
  const incomplete: AdjudicationItem[] = [];
  let unrated = 0;
  let decided = 0;
  for (const image of input.images) {
    if (input.decided.has(image.id)) {
      decided++;
      continue;
    }
    const r = input.rated.get(image.id) ?? [];
    const item = { imageId: image.id, file: image.file, ratings: r };
    if (r.length === 0) unrated++;
    else if (r.some((x) => x.label !== r[0]!.label)) disagreements.push(item);
    else if (r.length < input.raters) incomplete.push(item);
  }
  return {
    raters: input.raters,
    classes: input.classes,
    disagreements: disagreements.slice(0, input.limit),
    disagreementTotal: disagreements.length,
    incomplete: incomplete.slice(0, input.limit),
    incompleteTotal: incomplete.length,
    unrated,
    decided,
  };
};

/**
 * The labels a run trains on: the decided label where there is one, else the most frequent rater
 * label; images whose top labels tie, and unrated images, are left out (and listed).
 */
export const chooseTrainingLabels = (
  imageIds: readonly number[],
  decidedLabel: ReadonlyMap<number, string>,
  rated: ReadonlyMap<number, RaterLabel[]>,
): TrainingLabels => {
  const labels = new Map<number, { label: string; source: TrainingLabelSource }>();
  const ties: number[] = [];
  const unrated: number[] = [];
  for (const id of imageIds) {
    const decided = decidedLabel.get(id);
    if (decided !== undefined) {
      labels.set(id, { label: decided, source: 'decided' });
      continue;
    }
    const votes = new Map<string, number>();
    for (const r of rated.get(id) ?? []) votes.set(r.label, (votes.get(r.label) ?? 0) + 1);
    if (votes.size === 0) {
      unrated.push(id);
      continue;
    }
    const top = Math.max(...votes.values());
    const winners = [...votes].filter(([, n]) => n === top);
    if (winners.length > 1) ties.push(id);
    else labels.set(id, { label: winners[0]![0], source: 'majority' });
  }
  return { labels, ties, unrated };
};

/** Agreement of a task's rater labels (Cohen for two people, Fleiss otherwise), per class. */
export const agreementReport = (input: {
  datasetId: number;
  task: string;
  raters: number;
  classes: string[];
  rated: ReadonlyMap<number, RaterLabel[]>;
}): AgreementReport => {
  const index = new Map(input.classes.map((c, i) => [c, i]));
  const items = [...input.rated.values()].map((r) => ({
    ratings: r.map((x) => ({ rater: x.rater, classIndex: index.get(x.label)! })),
  }));
  const a = raterAgreement(items, input.classes.length);
  return {
    datasetId: input.datasetId,
    task: input.task,
    raters: input.raters,
    method: a.method,
    kappa: a.kappa,
    observed: a.observed,
    expected: a.expected,
    items: a.items,
    incomplete: a.incomplete,
    unanimous: a.unanimous,
    people: a.raters,
    perClass: input.classes.map((label, i) => ({ label, kappa: a.perClass[i] ?? null })),
  };
};

/** The history reason of an adjudication: every rater's label, then the reviewer's own words. */
export const adjudicationReason = (votes: readonly RaterLabel[], reason: string): string => {
  const summary = votes.map((v) => `${v.rater}: ${v.label}`).join(', ');
  return [`adjudication of ${votes.length} rater label(s)${summary ? ` (${summary})` : ''}`, reason.trim()]
    .filter(Boolean)
    .join('; ');
};

/**
 * An image's detail as `viewer` may see it: in a multi-rater task an undecided image carries the
 * viewer's own label; `ratings` lists every rater's label for a reviewer, the viewer's own for a
 * labeler. Rater labels are not in the shared history (only the adjudication is).
 */
export const detailForViewer = (
  detail: ImageDetail,
  raters: number,
  all: readonly RaterLabel[],
  viewer: string | null,
  role: RaterRole,
): ImageDetail => {
  const decided = detail.labels.length > 0;
  const own = all.find((r) => r.rater === viewer);
  return {
    ...detail,
    labels: decided || !own ? detail.labels : [own.label],
    ratings: role === 'reviewer' ? [...all] : all.filter((r) => r.rater === viewer),
    decided,
    raters,
  };
};

/** A grid page with the viewer's own label on undecided images of multi-rater tasks. */
export const pageForViewer = (page: ImagePage, own: ReadonlyMap<number, string[]>): ImagePage =>
  own.size === 0
    ? page
    : {
        ...page,
        items: page.items.map((i) =>
          i.labels.length === 0 && own.has(i.id) ? { ...i, labels: own.get(i.id)! } : i,
        ),
      };

/** The refusal a labeler gets. */
export const ONLY_REVIEWERS = 'only a reviewer adjudicates; this workstation is a labeler';
