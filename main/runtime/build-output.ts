import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as BuildConfig from '../../electron.config';

export const rendererOutDir = (root: string): string => join(root, 'out', 'renderer');

const newestMtime = (dir: string): number => {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
};

const mtime = (file: string): number => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** True when `output` is missing or older than any file under `sourceDirs`. */
export const isStale = (root: string, output: string, sourceDirs: string[]): boolean => {
  const built = mtime(join(root, output));
  return built === 0 || sourceDirs.some((d) => newestMtime(join(root, d)) > built);
};

/**
 * Builds the renderer (and the Electron bundles) when their sources changed since the last build,
 * so `npm start` always serves what is in the tree. Uses the build functions of electron.config.ts.
 */
export const ensureBuilt = async (
  root: string,
  options: { renderer: boolean; electron: boolean; force?: boolean; log?: (line: string) => void },
): Promise<void> => {
  const needRenderer =
    options.renderer && (options.force || isStale(root, 'out/renderer/index.html', ['renderer', 'shared']));
  const needElectron =
    options.electron && (options.force || isStale(root, 'out/main/electron-main.cjs', ['main', 'shared']));
  if (!needRenderer && !needElectron) return;
  const build = (await import(pathToFileURL(join(root, 'electron.config.ts')).href)) as typeof BuildConfig;
  if (needRenderer) {
    options.log?.('Building the renderer…');
    await build.buildRenderer(root);
  }
  if (needElectron) {
    options.log?.('Building the Electron main and preload bundles…');
    await build.buildElectron(root);
  }
};
