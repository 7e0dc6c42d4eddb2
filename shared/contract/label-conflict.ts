import { z } from 'zod';

/**
 * What a refused label write (error code CONFLICT) says about the label state it lost to: the
 * current labels of the image in that task, their version (the `baseVersion` a retry must carry),
 * and who wrote them when (null for a state never written since versions exist).
 */
export const LabelConflict = z.object({
  imageId: z.number().int().positive(),
  task: z.string(),
  version: z.number().int().min(0),
  labels: z.array(z.string()),
  by: z.string().nullable(),
  at: z.string().nullable(),
});
export type LabelConflict = z.infer<typeof LabelConflict>;
