import { join } from 'node:path';
import { encodeCheckpoint, readCheckpoint, writeFileAtomic } from '../engine/train/checkpoint-file';
import { mkdirPrivate } from '../security/private-files';

/**
 * Pretrained image features cached per image CONTENT hash (SHA-256), so an image imported twice,
 * relabelled or moved between datasets is never extracted again. One owner-only file per feature
 * kind (`<workspace>/assistant/features-<key>.ckpt`, 0600 in a 0700 folder, written atomically in
 * the checkpoint format). Holds numbers only: no ids, names or paths.
 */
export interface FeatureCache {
  readonly dim: number;
  get(sha256: string): Float32Array | undefined;
  has(sha256: string): boolean;
  set(sha256: string, row: Float32Array): void;
  size(): number;
  /** Writes the file if anything changed since the last save. */
  save(): Promise<void>;
}

type Stored = { dim: number; hashes: string[] };

/** The cache file of a workspace folder for a feature kind key (e.g. `nsfwjs-mobilenetv2-160`). */
export const featureCachePath = (workspaceDir: string, key: string): string =>
  join(workspaceDir, 'assistant', `features-${key.replace(/[^a-zA-Z0-9_-]/g, '_')}.ckpt`);

/** Opens (or starts) the cache at `path`; a file of another width is ignored and replaced. */
export const openFeatureCache = async (path: string, dim: number): Promise<FeatureCache> => {
  const rows = new Map<string, Float32Array>();
  const stored = await readCheckpoint<Stored>(path).catch(() => null);
  if (stored && stored.state.dim === dim) {
    const data = stored.arrays.rows?.[0]?.data as Float32Array | undefined;
    stored.state.hashes.forEach((h, i) => data && rows.set(h, data.slice(i * dim, (i + 1) * dim)));
  }
  let dirty = false;
  return {
    dim,
    get: (h) => rows.get(h),
    has: (h) => rows.has(h),
    set(h, row) {
      if (row.length !== dim) throw new Error(`feature row of ${row.length} values, cache holds ${dim}`);
      rows.set(h, row);
      dirty = true;
    },
    size: () => rows.size,
    async save() {
      if (!dirty) return;
      const hashes = [...rows.keys()];
      const data = new Float32Array(hashes.length * dim);
      hashes.forEach((h, i) => data.set(rows.get(h)!, i * dim));
      mkdirPrivate(join(path, '..'));
      await writeFileAtomic(
        path,
        encodeCheckpoint<Stored>({
          state: { dim, hashes },
          arrays: { rows: [{ name: 'rows', shape: [data.length], dtype: 'float32', data }] },
        }),
      );
      dirty = false;
    },
  };
};
