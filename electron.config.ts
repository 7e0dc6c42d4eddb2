/**
 * Build configuration of the Electron app: three bundles.
 *  - main:     main/app/electron-main.ts → out/main/electron-main.cjs (esbuild, Node/Electron, CJS)
 *  - preload:  main/ipc/preload.ts       → out/preload/preload.cjs   (esbuild, sandboxed preload, CJS, one file)
 *  - renderer: renderer/index.html       → out/renderer/             (Vite, React)
 *  - trainer:  the trainer process entry, its data-parallel replica worker and the stage-1 model
 *              module the replicas load → out/trainer/*.js (esbuild, Node, ESM: top-level await;
 *              each file finds the others next to itself through import.meta.url)
 * Run `npx tsx electron.config.ts [--only renderer|electron]`; `npm start` builds what is stale.
 */
import { build as esbuild } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as viteBuild } from 'vite';

export const config = {
  outDir: 'out',
  main: { entry: 'main/app/electron-main.ts', outfile: 'out/main/electron-main.cjs' },
  preload: { entry: 'main/ipc/preload.ts', outfile: 'out/preload/preload.cjs' },
  renderer: { root: 'renderer', outDir: 'out/renderer' },
  trainer: {
    entries: [
      'main/trainer-process/trainer-entry.ts',
      'main/engine/wasm/replica-worker.ts',
      'main/runs/stage1-model.ts',
    ],
    outdir: 'out/trainer',
  },
  /** Electron 40 ships Chromium 144 and Node 22. */
  targets: { node: 'node22', chrome: 'chrome144' },
} as const;

export const buildRenderer = async (root: string): Promise<void> => {
  await viteBuild({
    configFile: false,
    root: join(root, config.renderer.root),
    base: './',
    logLevel: 'warn',
    esbuild: { jsx: 'automatic' },
    build: {
      outDir: join(root, config.renderer.outDir),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      rollupOptions: {
        // zod's sources carry /*#__PURE__*/ comments rollup cannot place; they are harmless.
        onwarn(warning, warn) {
          if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
        },
      },
    },
  });
};

/**
 * The trainer bundles (ESM, node_modules left external, so `outdir` must sit inside the project).
 * In the app the main process starts out/trainer/trainer-entry.js as a utilityProcess.
 */
export const buildTrainer = async (
  root: string,
  outdir = join(root, config.trainer.outdir),
): Promise<void> => {
  await esbuild({
    entryPoints: config.trainer.entries.map((e) => join(root, e)),
    outdir,
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: config.targets.node,
    packages: 'external',
    logLevel: 'warning',
  });
};

export const buildElectron = async (root: string): Promise<void> => {
  // import.meta.url has no meaning in a CJS bundle; give it the bundle's own file URL.
  const importMetaShim = { 'import.meta.url': '__importMetaUrl' };
  const banner = { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" };
  await esbuild({
    entryPoints: [join(root, config.main.entry)],
    outfile: join(root, config.main.outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: config.targets.node,
    packages: 'external',
    define: importMetaShim,
    banner,
    logLevel: 'warning',
  });
  await buildTrainer(root);
  await esbuild({
    entryPoints: [join(root, config.preload.entry)],
    outfile: join(root, config.preload.outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: config.targets.chrome,
    // A sandboxed preload may require only 'electron' (and a few polyfilled modules): bundle the rest.
    external: ['electron'],
    logLevel: 'warning',
  });
};

const isScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isScript) {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined && only !== 'renderer' && only !== 'electron')
    throw new Error(`--only renderer|electron, got ${only}`);
  const started = Date.now();
  if (only !== 'electron') await buildRenderer(root);
  if (only !== 'renderer') await buildElectron(root);
  console.log(`built ${only ?? 'renderer + electron'} in ${Date.now() - started} ms`);
}
