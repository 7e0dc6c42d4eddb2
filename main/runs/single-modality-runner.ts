import { concatRows } from './run-modalities';
import type { SeedBook, SeedContext } from './seed-context';

/**
 * The single-modality heads, `note_only` and `metadata_only`: a head on the note embedding or
 * the metadata encoding alone (what each part knows without the image); skipped with the reason
 * when the dataset has no such input. Their heads later start the fusion head (stage 2).
 */
export const runSingleModalityHeads = async (ctx: SeedContext, book: SeedBook): Promise<void> => {
  const { split, config } = book;
  for (const [method, block, missing] of [
    ['note_only', ctx.modalities.notes, 'no image in this dataset has a clinical note'],
    ['metadata_only', ctx.modalities.metadata, 'the run uses no metadata column'],
  ] as const) {
    if (!(await book.pending(method))) continue;
    if (!block) {
      await book.skip(method, missing);
      continue;
    }
    const fixed = (rows: readonly number[]) => book.set(rows, concatRows(rows, [block]));
    await book.record(
      await book.timed(`fit_${method}`, () =>
        book.head(
          method,
          { train: fixed(split.train), validation: fixed(split.validation), test: fixed(split.test) },
          { epochs: config.heads.epochs, lr: config.heads.lr, kind: 'linear', stage: 'heads' },
        ),
      ),
    );
  }
};
