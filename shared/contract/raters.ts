import { z } from 'zod';
import { CatalogId, CatalogUser, RaterLabel, TaskName } from './catalog-schemas';
import { defineCall } from './define';

/**
 * Several raters per image, their agreement and the adjudication of disagreements (issue 18).
 * A task asks for `raters` independent labels per image; while an image is not adjudicated a
 * labeler sees only their own label, a reviewer sees every rater's.
 */

/** Who may decide: labelers label, reviewers also adjudicate. */
export const RaterRole = z.enum(['labeler', 'reviewer']);
export type RaterRole = z.infer<typeof RaterRole>;

/** Most raters a task may ask for per image. */
export const MAX_RATERS = 20;

export const RaterIdentity = z.object({
  user: z.string().nullable(),
  role: RaterRole,
  /** Where the role comes from: this workstation's setting (SQLite) or the database role (pg). */
  roleSource: z.enum(['setting', 'database']),
});
export type RaterIdentity = z.infer<typeof RaterIdentity>;

export const AdjudicationItem = z.object({
  imageId: CatalogId,
  file: z.string(),
  ratings: z.array(RaterLabel),
});
export type AdjudicationItem = z.infer<typeof AdjudicationItem>;

export const AdjudicationQueue = z.object({
  raters: z.number().int(),
  classes: z.array(z.string()),
  /** Undecided images whose raters disagree (two or more labels, not all the same). */
  disagreements: z.array(AdjudicationItem),
  disagreementTotal: z.number().int(),
  /** Undecided images with some, but fewer than `raters`, labels that agree so far. */
  incomplete: z.array(AdjudicationItem),
  incompleteTotal: z.number().int(),
  /** Images nobody rated yet. */
  unrated: z.number().int(),
  /** Images with a decided label (adjudicated, or labelled before the task asked for raters). */
  decided: z.number().int(),
});
export type AdjudicationQueue = z.infer<typeof AdjudicationQueue>;

const Kappa = z.number().nullable();
export const AgreementReport = z.object({
  datasetId: CatalogId,
  task: z.string(),
  raters: z.number().int(),
  method: z.enum(['cohen', 'fleiss']),
  /** Null where undefined (one class only, or no image rated twice). */
  kappa: Kappa,
  observed: z.number(),
  expected: z.number(),
  /** Images with two or more ratings (in the figure). */
  items: z.number().int(),
  /** Images with exactly one rating (not in the figure). */
  incomplete: z.number().int(),
  unanimous: z.number().int(),
  people: z.array(z.string()),
  perClass: z.array(z.object({ label: z.string(), kappa: Kappa })),
});
export type AgreementReport = z.infer<typeof AgreementReport>;

export const ratersCalls = {
  'catalog:whoAmI': defineCall({
    input: z.object({}).strict(),
    output: RaterIdentity,
    summary: 'The signed-in rater: name and role (labeler or reviewer) and where the role comes from.',
  }),
  'catalog:setRole': defineCall({
    input: z.object({ role: RaterRole }).strict(),
    output: RaterIdentity,
    summary:
      "This workstation's role (SQLite catalogs; a PostgreSQL catalog takes it from the database role).",
  }),
  'catalog:setRaters': defineCall({
    input: z
      .object({ datasetId: CatalogId, task: TaskName, raters: z.number().int().min(1).max(MAX_RATERS) })
      .strict(),
    output: z.object({ task: z.string(), raters: z.number().int() }),
    summary: 'How many independent labels a single-label task asks for per image (1 = one label).',
  }),
  'catalog:agreement': defineCall({
    input: z.object({ datasetId: CatalogId, task: TaskName }).strict(),
    output: AgreementReport,
    summary:
      "Inter-rater agreement of a task: Cohen's kappa (two raters) or Fleiss' kappa, overall and per class.",
  }),
  'catalog:adjudicationQueue': defineCall({
    input: z
      .object({ datasetId: CatalogId, task: TaskName, limit: z.number().int().min(1).max(5000).default(500) })
      .strict(),
    output: AdjudicationQueue,
    summary: 'Images whose raters disagree, and those with fewer labels than asked; reviewers only.',
  }),
  'catalog:adjudicate': defineCall({
    input: z
      .object({
        imageId: CatalogId,
        task: TaskName,
        label: z.string().trim().min(1).max(100),
        user: CatalogUser,
        reason: z.string().max(500).default(''),
      })
      .strict(),
    output: z.object({ labels: z.array(z.string()), batchId: CatalogId }),
    summary: "A reviewer decides an image's label (recorded in the history as an adjudication).",
  }),
} as const;
