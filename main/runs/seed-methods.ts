import { runFrozenFeatureHeads } from './frozen-feature-runner';
import { createSeedBook, type MethodOutcome, type SeedContext } from './seed-context';
import { runSingleModalityHeads } from './single-modality-runner';
import { runStage1 } from './stage1-runner';
import { runStage2 } from './stage2-runner';

/**
 * Every requested method for one seed, one runner per method group, in the order that shares
 * work: frozen pretrained features (linear probe, traditional multimodal) while the network is
 * still pretrained → single-modality heads (note, metadata) → stage 1 fine-tuning → stage 2
 * (proposed) on the fine-tuned backbone. Each finished method is written to disk at once and a
 * resumed run skips it; the fit loop's checkpoints resume the rest. Test rows are scored only
 * after each method's training ends.
 */
export const trainSeedMethods = async (
  ctx: SeedContext,
): Promise<{ outcomes: MethodOutcome[]; notices: string[] }> => {
  const book = await createSeedBook(ctx);
  await runFrozenFeatureHeads(ctx, book);
  await runSingleModalityHeads(ctx, book);
  const stage1 = await runStage1(ctx, book);
  if (stage1) await runStage2(ctx, book, stage1);
  const order = book.config.methods;
  const outcomes = [...book.outcomes].sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
  return { outcomes, notices: book.notices };
};
