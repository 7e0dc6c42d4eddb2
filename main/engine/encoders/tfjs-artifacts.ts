import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/result';

type ModelArtifacts = tfType.io.ModelArtifacts;
type WeightSpec = tfType.io.WeightsManifestEntry;

/** The part of a tfjs `model.json` we rely on; everything else passes through untouched. */
const ModelJsonShape = z.looseObject({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string().min(1)),
        weights: z.array(
          z.looseObject({
            name: z.string(),
            shape: z.array(z.number().int().nonnegative()),
            dtype: z.string(),
          }),
        ),
      }),
    )
    .min(1),
});

/** A parsed tfjs model.json (layers or graph format). */
export type ModelJson = z.infer<typeof ModelJsonShape>;

const dtypeBytes: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Bytes one weight occupies in a shard (quantized weights are stored in their quantized dtype). */
export const weightSpecBytes = (spec: WeightSpec): number => {
  const dtype: string = spec.quantization?.dtype ?? spec.dtype;
  const size = dtypeBytes[dtype];
  if (size === undefined)
    throw new AppError('INVALID_INPUT', `weight ${spec.name}: unsupported dtype ${dtype}`);
  return spec.shape.reduce((a, b) => a * b, 1) * size;
};

/** Validates a model.json object and names the problem (`where` says which model) when it is not one. */
export const parseModelJson = (value: unknown, where: string): ModelJson => {
  const parsed = ModelJsonShape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'INVALID_INPUT',
      `${where}: not a tfjs model.json (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})`,
    );
  }
  return parsed.data;
};

/**
 * Builds in-memory artifacts from a model.json and its shards (in manifest order), checking that the
 * shards hold exactly the bytes the weight specs describe, so a truncated download fails here with a
 * clear message rather than later inside tfjs with a garbled tensor.
 */
export const artifactsFromParts = (json: ModelJson, shards: Uint8Array[], where: string): ModelArtifacts => {
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as WeightSpec[];
  const expected = weightSpecs.reduce((n, s) => n + weightSpecBytes(s), 0);
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  if (total !== expected) {
    throw new AppError(
      'INVALID_INPUT',
      `${where}: weight shards hold ${total} bytes, model.json describes ${expected}`,
    );
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const s of shards) {
    weightData.set(s, offset);
    offset += s.byteLength;
  }
  return {
    modelTopology: json.modelTopology as ModelArtifacts['modelTopology'],
    format: typeof json.format === 'string' ? json.format : undefined,
    generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : undefined,
    convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : undefined,
    weightSpecs,
    weightData: weightData.buffer,
  };
};

const readOrExplain = async (path: string, what: string): Promise<Buffer> => {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'UNAVAILABLE',
      `${what} missing or unreadable: ${path} (${code ?? e})`,
    );
  }
};

/**
 * Reads a tfjs model folder (model.json + the shards it names) from disk into memory: the only way
 * the encoders load models, so nothing ever goes through tfjs's HTTP loader.
 */
export const readModelFolder = async (folder: string): Promise<ModelArtifacts> => {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new AppError('NOT_FOUND', `model folder not found: ${folder}`);
  const jsonPath = join(folder, 'model.json');
  const text = (await readOrExplain(jsonPath, 'model.json')).toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `${jsonPath}: not valid JSON (${(e as Error).message})`);
  }
  const json = parseModelJson(raw, jsonPath);
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  for (const p of paths) {
    if (p.includes('..') || p.startsWith('/') || /^[a-z]+:/i.test(p)) {
      throw new AppError(
        'INVALID_INPUT',
        `${jsonPath}: shard path ${p} must be a plain file name in the folder`,
      );
    }
  }
  const shards = await Promise.all(paths.map((p) => readOrExplain(join(folder, p), 'weight shard')));
  return artifactsFromParts(
    json,
    shards.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
    jsonPath,
  );
};

/**
 * Keeps only the weights `keep` accepts, slicing their bytes out of the concatenated weight data, so a
 * model cut at an inner layer loads strictly (no orphan head weights, no silently missing ones).
 */
export const selectWeights = (artifacts: ModelArtifacts, keep: (name: string) => boolean): ModelArtifacts => {
  const specs = artifacts.weightSpecs ?? [];
  const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
  const kept: WeightSpec[] = [];
  const pieces: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const n = weightSpecBytes(spec);
    if (keep(spec.name)) {
      kept.push(spec);
      pieces.push(data.subarray(offset, offset + n));
    }
    offset += n;
  }
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.byteLength;
  }
  return { ...artifacts, weightSpecs: kept, weightData: out.buffer };
};

/** A tfjs IOHandler that hands over artifacts already in memory (what tf.io.fromMemory does, typed). */
export const memoryHandler = (artifacts: ModelArtifacts): tfType.io.IOHandler => ({
  load: async () => artifacts,
});
