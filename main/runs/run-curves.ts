import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addCurvePoint, RunCurvePoint } from '../../shared/run/run-progress';
import { PRIVATE_FILE_MODE } from '../security/private-files';

/** File name of a run's epoch curve points (JSON lines, one point per line) in its run folder. */
export const CURVES_FILE = 'curves.jsonl';

const order = (a: RunCurvePoint, b: RunCurvePoint) =>
  a.seed - b.seed || a.method.localeCompare(b.method) || a.epoch - b.epoch;

/**
 * Reads a run's stored curve points: lines that do not parse (e.g. one torn by a crash) are
 * skipped, a point re-sent after a resume replaces the earlier one, ordered by seed, method, epoch.
 * A run that has none yet answers an empty list.
 */
export const readCurves = async (runDir: string): Promise<RunCurvePoint[]> => {
  let text: string;
  try {
    text = await readFile(join(runDir, CURVES_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let points: RunCurvePoint[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = RunCurvePoint.safeParse(raw);
    if (parsed.success) points = addCurvePoint(points, parsed.data);
  }
  return points.sort(order);
};

/**
 * Appends curve points to run folders as progress events arrive (epoch ends only, so a few lines
 * per run), in arrival order per folder. `flush` waits for the writes queued so far.
 */
export const createCurveWriter = (onError: (runDir: string, e: Error) => void) => {
  const queues = new Map<string, Promise<void>>();
  return {
    /** Queues one point; one that is not a valid point (e.g. a NaN loss) is reported, not stored. */
    append(runDir: string, point: RunCurvePoint): void {
      const parsed = RunCurvePoint.safeParse(point);
      if (!parsed.success) {
        onError(runDir, new Error(`invalid curve point: ${parsed.error.issues[0]?.message}`));
        return;
      }
      const line = `${JSON.stringify(parsed.data)}\n`;
      const next = (queues.get(runDir) ?? Promise.resolve())
        .then(() =>
          appendFile(join(runDir, CURVES_FILE), line, { encoding: 'utf8', mode: PRIVATE_FILE_MODE }),
        )
        .catch((e: Error) => onError(runDir, e));
      queues.set(runDir, next);
      void next.then(() => queues.get(runDir) === next && queues.delete(runDir));
    },
    async flush(runDir?: string): Promise<void> {
      await Promise.all(runDir ? [queues.get(runDir)] : [...queues.values()]);
    },
  };
};
