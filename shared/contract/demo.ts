import { z } from 'zod';
import { defineCall } from './define';

export const demoCalls = {
  'demo:install': defineCall({
    input: z.object({}).strict(),
    output: z.object({
      datasetId: z.number().int(),
      dataset: z.string(),
      images: z.number().int(),
      generated: z.boolean(),
    }),
    summary: 'Generate (once) and import the built-in synthetic fetal-phantom demo set.',
  }),
} as const;
