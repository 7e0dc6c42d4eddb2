/** Process control for the kill -9 soak (bench/kill-soak.ts): start, time, and kill the CLI. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Random } from '../shared/random/seeded-random';

const ROOT = resolve(import.meta.dirname, '..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts the CLI in its own process group, so a kill takes its trainer process with it. */
export const startCli = (args: readonly string[]) => {
  const started = performance.now();
  const child = spawn(process.execPath, ['main/cli/bin.mjs', ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SONOFUSE_LOG_LEVEL: 'error' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolveDone) =>
    child.on('exit', (code, signal) =>
      resolveDone({ code, signal, stdout, stderr, ms: performance.now() - started }),
    ),
  );
  return {
    done,
    killGroup: (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
};

export const runCli = async (args: readonly string[]): Promise<CliResult> => {
  const result = await startCli(args).done;
  if (result.code !== 0)
    throw new Error(
      `sonofuse ${args[0]} exited ${result.code ?? result.signal}: ${result.stderr.slice(-2000)}`,
    );
  return result;
};

/** A progress reading of a running command: rows committed, epochs logged… (monotone, cheap). */
export type Probe = () => number;

export interface TimelinePoint {
  ms: number;
  value: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs a command to the end, sampling `probe` every 50 ms: the uninterrupted timeline. */
export const timeline = async (
  args: readonly string[],
  probe: Probe,
): Promise<{ result: CliResult; points: TimelinePoint[] }> => {
  const cli = startCli(args);
  const started = performance.now();
  const points: TimelinePoint[] = [];
  let finished = false;
  void cli.done.then(() => (finished = true));
  while (!finished) {
    const value = probe();
    if (!points.length || value > points[points.length - 1]!.value)
      points.push({ ms: performance.now() - started, value });
    await sleep(50);
  }
  const result = await cli.done;
  if (result.code !== 0)
    throw new Error(`sonofuse ${args[0]} exited ${result.code}: ${result.stderr.slice(-2000)}`);
  return { result, points };
};

/** Where a kill lands: a moment of the uninterrupted timeline, as progress reached + time after it. */
export interface KillPoint {
  atMs: number;
  progress: number;
  afterMs: number;
}

/**
 * `kills` moments drawn uniformly (seeded) over the uninterrupted run's duration, in order, each
 * turned into the progress the timeline had reached then and the time spent past that progress.
 * Each attempt resumes where the last left off, so sorted moments walk the kills from start to end.
 */
export const killPoints = (
  points: readonly TimelinePoint[],
  totalMs: number,
  kills: number,
  random: Random,
): KillPoint[] =>
  Array.from({ length: kills }, () => random.next() * totalMs)
    .sort((a, b) => a - b)
    .map((atMs) => {
      const reached = [...points].reverse().find((p) => p.ms <= atMs);
      return {
        atMs: Math.round(atMs),
        progress: reached?.value ?? 0,
        afterMs: Math.round(atMs - (reached?.ms ?? 0)),
      };
    });

/**
 * Runs a command and SIGKILLs its process group once `probe` reaches the point's progress (or, when
 * earlier attempts already got that far, once this attempt adds progress of its own) plus the
 * point's delay, or at the next step of progress when that comes first (so a machine faster than
 * the timeline's never runs far past the point). A point at progress 0 is a moment of start-up.
 */
export const killAt = async (
  args: readonly string[],
  probe: Probe,
  point: KillPoint,
  finalProgress: number,
): Promise<{ killed: boolean; result: CliResult }> => {
  const cli = startCli(args);
  let finished = false;
  void cli.done.then(() => (finished = true));
  const started = performance.now();
  // Progress kept from earlier attempts is reached at once: wait for this attempt's own progress.
  // (never past the last progress the uninterrupted run made: then the point's delay alone counts).
  const need = point.progress === 0 ? 0 : Math.min(Math.max(point.progress, probe() + 1), finalProgress);
  let reachedAt = need === 0 ? started : null;
  let reachedValue = need === 0 ? probe() : 0;
  while (!finished) {
    if (reachedAt === null && (reachedValue = probe()) >= need) reachedAt = performance.now();
    // The delay, or the next step of progress if this machine gets there sooner than the timeline.
    if (reachedAt !== null && (performance.now() - reachedAt >= point.afterMs || probe() > reachedValue))
      break;
    await sleep(
      reachedAt === null ? 25 : Math.min(25, Math.max(1, point.afterMs - (performance.now() - reachedAt))),
    );
  }
  const killed = !finished;
  if (killed) cli.killGroup();
  return { killed, result: await cli.done };
};
