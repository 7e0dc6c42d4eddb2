import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../security/private-files';

/** A named array as stored in a checkpoint (float32 or int32, 4 bytes per element). */
export interface StoredArray {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** One checkpoint: a JSON-able state plus groups of arrays (e.g. `weights`, `optimizer`). */
export interface CheckpointContents<S> {
  state: S;
  arrays: Record<string, StoredArray[]>;
}

const MAGIC = 'SFCK0001';

/**
 * Encodes as `SFCK0001`, uint32 header length, JSON header, then the raw 4-byte arrays. One file,
 * so a single rename publishes it atomically.
 */
export const encodeCheckpoint = <S>(contents: CheckpointContents<S>): Buffer => {
  const index: Record<string, Array<Omit<StoredArray, 'data'> & { length: number }>> = {};
  const chunks: Buffer[] = [];
  for (const [group, arrays] of Object.entries(contents.arrays)) {
    index[group] = arrays.map((a) => {
      chunks.push(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength));
      return { name: a.name, shape: a.shape, dtype: a.dtype, length: a.data.length };
    });
  }
  const header = Buffer.from(JSON.stringify({ state: contents.state, index }));
  // Pad the header so the arrays start 4-byte aligned.
  const pad = (4 - ((MAGIC.length + 4 + header.length) % 4)) % 4;
  const head = Buffer.alloc(MAGIC.length + 4);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(header.length + pad, MAGIC.length);
  return Buffer.concat([head, header, Buffer.alloc(pad, 0x20), ...chunks]);
};

/** Thrown for a file that is not a complete checkpoint (never silently treated as "no checkpoint"). */
export class CheckpointCorruptError extends Error {
  override readonly name = 'CheckpointCorruptError';
}

/** Inverse of {@link encodeCheckpoint}; throws {@link CheckpointCorruptError} on any mismatch. */
export const decodeCheckpoint = <S>(buf: Buffer, source = 'checkpoint'): CheckpointContents<S> => {
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC)
    throw new CheckpointCorruptError(`${source}: not a SonoFuse checkpoint`);
  const headerLength = buf.readUInt32LE(MAGIC.length);
  let offset = MAGIC.length + 4 + headerLength;
  let parsed: { state: S; index: Record<string, Array<Omit<StoredArray, 'data'> & { length: number }>> };
  try {
    parsed = JSON.parse(buf.toString('utf8', MAGIC.length + 4, offset));
  } catch {
    throw new CheckpointCorruptError(`${source}: unreadable header`);
  }
  const arrays: Record<string, StoredArray[]> = {};
  for (const [group, entries] of Object.entries(parsed.index)) {
    arrays[group] = entries.map((e) => {
      const bytes = e.length * 4;
      if (offset + bytes > buf.length) throw new CheckpointCorruptError(`${source}: truncated at ${e.name}`);
      // Copy out so the arrays are aligned and independent of the file buffer.
      const raw = new Uint8Array(buf.subarray(offset, offset + bytes)).buffer;
      offset += bytes;
      const data = e.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw);
      return { name: e.name, shape: e.shape, dtype: e.dtype, data };
    });
  }
  if (offset !== buf.length)
    throw new CheckpointCorruptError(`${source}: ${buf.length - offset} stray bytes`);
  return { state: parsed.state, arrays };
};

/**
 * Writes `data` to `path` atomically: temp file in the same folder, fsync, rename over the target,
 * fsync the folder. A crash at any point leaves either the old file or the new one, never half.
 */
export const writeFileAtomic = async (path: string, data: Buffer): Promise<void> => {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    const handle = await open(temp, 'w', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  const dir = await open(dirname(path), 'r').catch(() => null);
  if (dir)
    await dir
      .sync()
      .catch(() => undefined)
      .finally(() => dir.close());
};

/** The two files of a run folder: `latest.ckpt` (resume point) and `best.ckpt` (best validation epoch). */
export const checkpointPaths = (runDir: string): { latest: string; best: string } => ({
  latest: join(runDir, 'latest.ckpt'),
  best: join(runDir, 'best.ckpt'),
});

/** Reads a checkpoint, or null when the file does not exist. */
export const readCheckpoint = async <S>(path: string): Promise<CheckpointContents<S> | null> => {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return decodeCheckpoint<S>(buf, path);
};
