import { describe, expect, it } from 'vitest';
import type { ImageQueryInput, ImageSummary } from '../../../shared/contract/index';
import { createLabelingQueue, findInPager } from '../../../renderer/assistant/labeling-queue';
import { createImagePager } from '../../../renderer/catalog/image-pager';
import { createFakeApi } from '../fake-api';
import { createFakeAssistant } from '../fake-assistant';

const row = (id: number): ImageSummary => ({
  id,
  datasetId: 1,
  file: `img-${id}.png`,
  format: 'png',
  sourceFormat: 'png',
  width: 8,
  height: 8,
  frame: 0,
  sha256: 'a'.repeat(64),
  labels: [],
  patient: null,
  notePreview: null,
  labelVersion: 0,
  part: null,
  importedAt: '2026-01-01T00:00:00.000Z',
});

describe('labeling queue', () => {
  it('finds an image far down the browse list by reading pages until it is there', async () => {
    const pagesRead: number[] = [];
    // 1,000 images, ids 1001…2000 in list order.
    const pager = createImagePager({
      query: { task: 'label' },
      pageSize: 50,
      fetchPage: async (q: ImageQueryInput) => {
        pagesRead.push(q.offset!);
        const items = Array.from({ length: Math.max(0, Math.min(50, 1000 - q.offset!)) }, (_, i) =>
          row(1001 + q.offset! + i),
        );
        return { ok: true, value: { total: 1000, offset: q.offset!, items } };
      },
    });
    expect(await findInPager(pager, 1642)).toBe(641);
    expect(pager.get(641)!.id).toBe(1642);
    // Found again without reading anything more; an id outside the list is -1.
    const before = pagesRead.length;
    expect(await findInPager(pager, 1642)).toBe(641);
    expect(pagesRead.length).toBe(before);
    expect(await findInPager(pager, 5)).toBe(-1);
  });

  it('is null in import order, and otherwise gives the first queued image not excluded', async () => {
    const { answers } = createFakeAssistant({ queue: { informative: [7, 3, 9] } });
    const { api, received } = createFakeApi(answers);
    expect(createLabelingQueue(api, 1, 'label', 'import', null)).toBeNull();
    expect(createLabelingQueue(api, 1, 'label', 'class', null)).toBeNull(); // no class picked yet
    const queue = createLabelingQueue(api, 1, 'label', 'informative', null)!;
    expect(await queue.next(new Set())).toBe(7);
    expect(await queue.next(new Set([7, 3]))).toBe(9);
    expect(await queue.next(new Set([7, 3, 9]))).toBeNull();
    expect(received.at(-1)).toEqual({
      channel: 'assistant:queue',
      input: { datasetId: 1, task: 'label', mode: 'informative', limit: 200 },
    });
  });
});
