import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/result';
import { artifactsFromParts, parseModelJson } from './tfjs-artifacts';

/** The package (and version) whose MobileNetV2 weights are the default image backbone. */
export const nsfwjsPackage = { name: 'nsfwjs', version: '4.4.0', model: 'mobilenet_v2' } as const;

/**
 * The folder holding nsfwjs's bundled MobileNetV2 (`dist/models/mobilenet_v2`). The package's
 * `exports` map hides these files from `import`, so we resolve the package entry and walk to them.
 */
export const nsfwjsModelDir = (): string => {
  for (const base of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      const entry = createRequire(base).resolve(nsfwjsPackage.name); // …/nsfwjs/dist/cjs/index.js
      const dir = resolve(dirname(entry), '..', 'models', nsfwjsPackage.model);
      if (existsSync(join(dir, 'model.min.js'))) return dir;
    } catch {
      // not resolvable from this base: try the next one
    }
  }
  throw new AppError(
    'NOT_FOUND',
    `npm package ${nsfwjsPackage.name}@${nsfwjsPackage.version} (its ${nsfwjsPackage.model} model) is not installed`,
  );
};

/**
 * Loads one of nsfwjs's browserify modules (`model.min.js`, `group1-shard1of1.min.js`). Each is a
 * UMD wrapper whose CommonJS export is the model.json object or the shard's bytes as one base64
 * string. It is required from disk (no network: these modules import nothing), then dropped from
 * the require cache so the 3.5 MB string does not stay resident.
 */
const requireBundle = (path: string): unknown => {
  const req = createRequire(path);
  const full = req.resolve(path);
  try {
    return req(full);
  } finally {
    delete req.cache[full];
  }
};

/**
 * The nsfwjs MobileNetV2 as in-memory tfjs artifacts: model.json decoded from `model.min.js`, the
 * uint8-quantized weights decoded from the base64 shard modules named in its weights manifest.
 */
export const loadNsfwjsArtifacts = (dir = nsfwjsModelDir()): tfType.io.ModelArtifacts => {
  const where = join(dir, 'model.min.js');
  const json = parseModelJson(requireBundle(where), where);
  const shards = json.weightsManifest
    .flatMap((g) => g.paths)
    .map((p) => {
      const file = join(dir, `${p}.min.js`);
      const base64 = requireBundle(file);
      if (typeof base64 !== 'string' || base64.length === 0) {
        throw new AppError('INVALID_INPUT', `${file}: expected a base64 string export`);
      }
      return new Uint8Array(Buffer.from(base64, 'base64'));
    });
  return artifactsFromParts(json, shards, where);
};
