import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root (where package.json, out/ and node_modules/ live), found from this file's own
 * location so the CLI works from any working directory. Both `main/runtime/` (run by tsx) and
 * `out/main/` (the Electron bundle, where import.meta.url is shimmed) sit two levels below it.
 */
export const projectRoot = (): string =>
  process.env.SONOFUSE_ROOT ?? fileURLToPath(new URL('../../', import.meta.url));

/** The app version from package.json. */
export const readVersion = (root = projectRoot()): string =>
  String(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
