import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainerFeatureSource } from '../../../../main/assistant/feature-source';
import { featureCachePath, openFeatureCache } from '../../../../main/assistant/feature-cache';
import { featureKey } from '../../../../main/assistant/image-features';
import { DATASETS, tempDir } from '../catalog/support/catalog-fixtures';

const busi = (f: string) => join(DATASETS, 'busi', 'images', f);

describe('trainer-process feature source', () => {
  it('extracts missing images in a trainer process into an owner-only cache, then serves from the cache', async () => {
    const ws = tempDir('sonofuse-assist-src-');
    const items = ['benign/benign_1.png', 'malignant/malignant_1.png'].map((f) => ({
      path: busi(f),
      sha256: createHash('sha256')
        .update(readFileSync(busi(f)))
        .digest('hex'),
    }));
    const progress: string[] = [];
    const src = trainerFeatureSource({ workspaceDir: ws });
    const out = await src(items, (d, n) => progress.push(`${d}/${n}`), new AbortController().signal);
    expect(out.dim).toBe(1280);
    expect(out.x.length).toBe(2 * 1280);
    expect(progress[0]).toBe('0/2');
    expect(progress.at(-1)).toBe('2/2');
    // Pooled ReLU6 features: non-negative, bounded, and the two images differ.
    expect(Math.min(...out.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out.x)).toBeLessThanOrEqual(6);
    expect(Array.from(out.x.subarray(0, 1280))).not.toEqual(Array.from(out.x.subarray(1280)));
    const path = featureCachePath(ws, featureKey());
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(ws, 'assistant')).mode & 0o777).toBe(0o700);
    const cache = await openFeatureCache(path, 1280);
    expect(Array.from(cache.get(items[1]!.sha256)!)).toEqual(Array.from(out.x.subarray(1280)));
    // A second call starts no process: the rows come from the cache, identical.
    const never = { start: () => Promise.reject(new Error('no process expected')) } as never;
    const again = await trainerFeatureSource({ workspaceDir: ws, supervisor: never })(
      items,
      () => {},
      new AbortController().signal,
    );
    expect(Array.from(again.x)).toEqual(Array.from(out.x));
  }, 180_000);
});
