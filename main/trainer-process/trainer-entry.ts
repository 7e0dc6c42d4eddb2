/**
 * Entry of the trainer process: a Node child process (`fork(thisFile, { execArgv: tsxExecArgv() })`)
 * in the CLI and browser mode, or an Electron utilityProcess (bundled to out/trainer/) in the app.
 * Runs one job and exits; the supervisor in main owns it. Everything it does is in
 * `trainer-runtime.ts`; this file only wires the real parent port, job kinds and installers.
 */
import { createProcessParentPort } from './fork-transport';
import { createJobRegistry } from './job-registry';
import { twoStageJob } from '../../runs/two-stage-job';
import { tinyDenseJob } from './tiny-dense-job';
import { defaultTrainerInstallers } from './trainer-installers';
import { runTrainer } from './trainer-runtime';
import { createUtilityParentPort, electronParentPort } from './utility-parent-port';

const main = async (): Promise<void> => {
  const utility = electronParentPort();
  const port = utility ? createUtilityParentPort(utility) : createProcessParentPort();
  await runTrainer(port, {
    registry: createJobRegistry([tinyDenseJob, twoStageJob]),
    installers: defaultTrainerInstallers(),
  });
  // The last message is handed over; leave explicitly (tfjs may keep handles alive).
  process.exit(0);
};

if (process.send || electronParentPort()) void main();
