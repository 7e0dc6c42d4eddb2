import type { Handlers } from './dispatcher';
import { checkOutputPath } from '../security/output-path';
import { runIntervals } from '../runs/metric-intervals';
import type { RunService } from '../runs/run-service';

type RunChannel = Extract<keyof Handlers, `run:${string}`>;

/** The `run:*` handlers: argument adapters and path checks; the work is in the run service. */
export const createRunHandlers = (runs: RunService): Pick<Handlers, RunChannel> => ({
  'run:start': ({ config }) => runs.start(config),
  'run:list': ({ datasetId }) => runs.list(datasetId),
  'run:get': ({ runId }) => runs.get(runId),
  'run:cancel': ({ runId }) => runs.cancel(runId),
  'run:resume': ({ runId }) => runs.resume(runId),
  'run:predictions': (q) => runs.predictions(q),
  'run:exportReport': async (input) =>
    runs.exportReport({ ...input, path: checkOutputPath(input.path, [`.${input.format}`]) }),
  'run:saliency': (input) => runs.saliency(input),
  'run:curves': ({ runId }) => runs.curves(runId),
  'run:intervals': (q) => runIntervals(runs, q),
});
