import { useMemo } from 'react';
import type { QueueMode, SonoFuseApi } from '../../shared/contract/index';
import type { ImagePager } from '../catalog/image-pager';

/** Where "Next image" goes in a queue mode other than import order. */
export interface LabelingQueue {
  /** The first queued image not in `exclude` (the image shown, the skipped ones); null when none. */
  next(exclude: ReadonlySet<number>): Promise<number | null>;
}

/** How many queued ids one call reads: enough to step over the skipped images. */
const QUEUE_LIMIT = 200;

/**
 * The queue of `assistant:queue` for a mode (most informative first, or one predicted class); null
 * for import order, where the browse list's own order applies. Each "next" asks again, so the order
 * follows the latest retrain.
 */
export const createLabelingQueue = (
  api: SonoFuseApi,
  datasetId: number | null,
  task: string,
  mode: QueueMode,
  className: string | null,
): LabelingQueue | null => {
  if (mode === 'import' || datasetId === null || (mode === 'class' && !className)) return null;
  return {
    async next(exclude) {
      const r = await api.assistant.queue({
        datasetId,
        task,
        mode,
        ...(mode === 'class' && className ? { className } : {}),
        limit: QUEUE_LIMIT,
      });
      if (!r.ok) return null;
      return r.value.find((id) => !exclude.has(id)) ?? null;
    },
  };
};

/** {@link createLabelingQueue}, kept while its inputs stay the same. */
export const useLabelingQueue = (
  api: SonoFuseApi,
  datasetId: number | null,
  task: string,
  mode: QueueMode,
  className: string | null,
): LabelingQueue | null =>
  useMemo(
    () => createLabelingQueue(api, datasetId, task, mode, className),
    [api, datasetId, task, mode, className],
  );

/**
 * The index of image `id` in the browse list, reading pages from the start until it is found; -1
 * when the list (its filters) does not hold it.
 */
export const findInPager = async (pager: ImagePager, id: number, pageSize = 100): Promise<number> => {
  let at = pager.indexOf(id);
  if (at >= 0) return at;
  if (pager.total() === null) await pager.request(0, 1);
  const total = pager.total() ?? 0;
  for (let start = 0; start < total; start += pageSize) {
    if (!pager.get(start)) await pager.request(start, start + pageSize);
    at = pager.indexOf(id);
    if (at >= 0) return at;
  }
  return -1;
};
