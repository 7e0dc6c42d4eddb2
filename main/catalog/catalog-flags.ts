import type { ImageFlag } from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import type { CatalogDb } from './catalog-db';
import type { Repository } from './catalog-repository';

/** The reason recorded when a flag is set without one. */
export const DEFAULT_FLAG_REASON = 'flagged for review';

/**
 * Review flags: one per image, with who set it, when and why. Setting and clearing are history
 * entries of kind `flag` (value: the reason while set, null when cleared), so they show in the
 * image's history and undo like any other change.
 */
export const createCatalogFlags = (cdb: CatalogDb, repo: Repository) => ({
  flag: (imageId: number): ImageFlag | null => repo.flag(imageId),
  setFlag(input: { imageId: number; flagged: boolean; user: string; reason: string }): {
    flag: ImageFlag | null;
    batchId: number | null;
  } {
    if (!cdb.get('image.exists', 'SELECT 1 FROM images WHERE id = ?', input.imageId))
      throw new AppError('NOT_FOUND', `no image ${input.imageId}`);
    return cdb.transaction(() => {
      const before = repo.flag(input.imageId)?.reason ?? null;
      const after = input.flagged ? input.reason.trim() || DEFAULT_FLAG_REASON : null;
      if (before === after) return { flag: repo.flag(input.imageId), batchId: null };
      const batchId = repo.nextBatchId();
      repo.writeFlag(input.imageId, after, input.user);
      repo.appendHistory({
        batchId,
        imageId: input.imageId,
        kind: 'flag',
        taskId: null,
        from: before,
        to: after,
        user: input.user,
        reason: input.flagged ? (after ?? '') : input.reason.trim(),
        origin: 'edit',
      });
      return { flag: repo.flag(input.imageId), batchId };
    });
  },
});

export type CatalogFlags = ReturnType<typeof createCatalogFlags>;
