import { z } from 'zod';
import { defineCall } from './define';

const Id = z.number().int().positive();
const User = z.string().trim().min(1).max(100);

/** A batch of images of one task assigned to one labeler (the department's work split). */
export const LabelJob = z.object({
  id: Id,
  datasetId: Id,
  task: z.string(),
  assignee: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  images: z.number().int().min(0),
  /** Images of the batch labelled in the task (by anyone). */
  labelled: z.number().int().min(0),
});
export type LabelJob = z.infer<typeof LabelJob>;

export const labelJobCalls = {
  'catalog:createLabelJob': defineCall({
    input: z
      .object({
        datasetId: Id,
        task: z.string().trim().min(1).max(100),
        assignee: User,
        /** How many unlabeled images, not in another batch of the task, go into the batch. */
        size: z.number().int().min(1).max(10_000),
        user: User,
      })
      .strict(),
    output: LabelJob,
    summary:
      'Assign a batch of N unlabeled images (in no other batch of the task, by import order) to a labeler; CONFLICT when none is left.',
  }),
  'catalog:labelJobs': defineCall({
    input: z
      .object({
        datasetId: Id,
        task: z.string().trim().min(1).max(100).optional(),
        /** Only this labeler's batches ("my batches"). */
        assignee: User.optional(),
      })
      .strict(),
    output: z.array(LabelJob),
    summary:
      'Batches of a dataset (optionally of one task or one labeler) with their progress, newest first.',
  }),
  'catalog:labelJobQueue': defineCall({
    input: z.object({ jobId: Id, limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(Id),
    summary: "The batch's images still unlabeled in its task, in batch order (the labeling queue).",
  }),
} as const;
