import { describe, expect, it } from 'vitest';
import type { ImagePage, ImageQueryInput, ImageSummary } from '../../../shared/contract/index';
import { createImagePager } from '../../../renderer/catalog/image-pager';

const row = (id: number, labels: string[] = []): ImageSummary => ({
  id,
  datasetId: 1,
  file: `${id}.png`,
  format: 'png',
  sourceFormat: 'png',
  width: 1,
  height: 1,
  frame: 0,
  sha256: 'a'.repeat(64),
  labels,
  patient: null,
  notePreview: null,
  labelVersion: 0,
  part: null,
  importedAt: '',
});

/** A server with 10 images whose "unlabeled" list shrinks as labels are set. */
const server = () => {
  const labelled = new Set<number>();
  const asked: number[] = [];
  const fetchPage = async (q: ImageQueryInput) => {
    asked.push(q.offset ?? 0);
    const all = Array.from({ length: 10 }, (_, i) => row(i + 1, labelled.has(i + 1) ? ['x'] : []));
    const list = q.unlabeled ? all.filter((r) => r.labels.length === 0) : all;
    const value: ImagePage = {
      total: list.length,
      offset: q.offset ?? 0,
      items: list.slice(q.offset, (q.offset ?? 0) + (q.limit ?? 100)),
    };
    return { ok: true as const, value };
  };
  return { labelled, asked, fetchPage };
};

describe('image pager', () => {
  it('pages lazily and keeps only the pages it needs', async () => {
    const s = server();
    const pager = createImagePager({
      query: { task: 'label' },
      fetchPage: s.fetchPage,
      pageSize: 3,
      maxPages: 1,
    });
    await pager.request(0, 2);
    expect(pager.total()).toBe(10);
    expect(pager.get(1)?.id).toBe(2);
    expect(pager.get(4)).toBeUndefined();
    await pager.request(6, 9);
    // Rows 6-8 are page 2; with room for one page, page 0 (farthest from the request) was dropped.
    expect(pager.get(0)).toBeUndefined();
    expect(pager.get(8)?.id).toBe(9);
    expect(s.asked).toEqual([0, 6]);
  });

  it('in an "unlabeled" list, later pages are read at a corrected offset after labelling', async () => {
    const s = server();
    const pager = createImagePager({
      query: { task: 'label', unlabeled: true },
      fetchPage: s.fetchPage,
      pageSize: 3,
    });
    await pager.request(0, 3);
    for (const id of [1, 2]) {
      s.labelled.add(id);
      pager.patchLabels(id, ['x']);
    }
    await pager.request(3, 6);
    // Two rows left the server's list, so page 1 (offset 3) is asked at offset 1: rows 4, 5, 6.
    expect(s.asked).toEqual([0, 1]);
    expect([3, 4, 5].map((i) => pager.get(i)?.id)).toEqual([4, 5, 6]);
    expect(await pager.nextUnlabeled(0)).toBe(2);
    expect(await pager.nextUnlabeled(2, new Set([4, 5]))).toBe(5);
  });
});
