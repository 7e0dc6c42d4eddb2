/**
 * Entry of the trainer process: a Node child process (`fork(thisFile, { execArgv: tsxExecArgv() })`)
 * in the CLI and browser mode, or an Electron utilityProcess (bundled to out/trainer/) in the app.
 * Runs one job and exits; the supervisor in main owns it. Everything it does is in
 * `engine/trainer/trainer-runtime.ts`; this file only wires the real parent port, the app's job
 * kinds (the generic engine registers none) and installers.
 */
import { assistantFeaturesJob } from '../assistant/feature-job';
import { assistantRunPredictJob } from '../assistant/run-suggester';
import { createProcessParentPort } from '../engine/trainer/fork-transport';
import { createJobRegistry } from '../engine/trainer/job-registry';
import { twoStageJob } from '../runs/two-stage-job';
import { tinyDenseJob } from '../engine/trainer/tiny-dense-job';
import { defaultTrainerInstallers } from '../engine/trainer/trainer-installers';
import { runTrainer } from '../engine/trainer/trainer-runtime';
import { createUtilityParentPort, electronParentPort } from '../engine/trainer/utility-parent-port';

const main = async (): Promise<void> => {
  const utility = electronParentPort();
  const port = utility ? createUtilityParentPort(utility) : createProcessParentPort();
  await runTrainer(port, {
    registry: createJobRegistry([tinyDenseJob, twoStageJob, assistantFeaturesJob, assistantRunPredictJob]),
    installers: defaultTrainerInstallers(),
  });
  // The last message is handed over; leave explicitly (tfjs may keep handles alive).
  process.exit(0);
};

if (process.send || electronParentPort()) void main();
