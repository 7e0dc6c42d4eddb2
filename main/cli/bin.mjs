#!/usr/bin/env node
// The `sonofuse` command. Runs the TypeScript sources directly through tsx, so it works right after
// `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
// Owner-only files and folders for everything this process writes (catalog, store, runs, exports).
const { restrictUmask } = await import('../security/private-files.ts');
restrictUmask();
const { runCli } = await import('./cli-main.ts');
process.exitCode = await runCli(process.argv.slice(2));
