import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineBenchReport } from './engine-benchmark';

/** Debian's python3 (python3-torch installs torch for it). */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/** One input size as the PyTorch script measures it (same fields as our side). */
export interface PytorchSizeResult {
  size: number;
  train_img_s: number;
  infer_img_s: number;
  train_img_s_cpu_bound: number;
  infer_img_s_cpu_bound: number;
  peak_rss_mb: number;
}

/** What main/engine/bench/pytorch-mobilenet-v2.py prints. */
export interface PytorchReport {
  torch: string;
  threads: number;
  batch: number;
  steps: number;
  results: PytorchSizeResult[];
}

/** The anchor's outcome: measured, or why not (no python, no torch, the script failed). */
export type PytorchAnchor = { available: true; report: PytorchReport } | { available: false; reason: string };

/** Options of {@link runPytorchAnchor}. */
export interface PytorchAnchorOptions {
  sizes: readonly number[];
  batch: number;
  steps: number;
  /** torch.set_num_threads: the same thread count as our side. */
  threads: number;
  /** Interpreter (default {@link DEFAULT_PYTHON}); tests pass a fake one. */
  python?: string;
  /** The measuring script (default: pytorch-mobilenet-v2.py next to this module's source). */
  script?: string;
}

/** pytorch-mobilenet-v2.py: beside this file under tsx/vitest, under main/engine/bench from a bundle. */
export const defaultPytorchScript = (): string => {
  const here = fileURLToPath(new URL('./pytorch-mobilenet-v2.py', import.meta.url));
  if (existsSync(here)) return here;
  const root = process.env.SONOFUSE_ROOT ?? process.cwd();
  return `${root}/main/engine/bench/pytorch-mobilenet-v2.py`;
};

const run = (file: string, args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({
        code,
        stdout: String(stdout),
        stderr: String(stderr) || (err && code === -1 ? err.message : ''),
      });
    });
  });

const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';

/**
 * Runs the same MobileNetV2 measurement in PyTorch (CPU) when `python -c 'import torch'` works.
 * Never throws: an absent interpreter or torch, or a failing script, answers `available: false`
 * with the reason. The child's memory is not counted in our peak RSS (RUSAGE_SELF).
 */
export const runPytorchAnchor = async (opts: PytorchAnchorOptions): Promise<PytorchAnchor> => {
  const python = opts.python ?? DEFAULT_PYTHON;
  const probe = await run(python, ['-c', 'import torch']);
  if (probe.code !== 0)
    return {
      available: false,
      reason: `PyTorch is not available (${python} -c 'import torch': ${lastLine(probe.stderr) || `exit ${probe.code}`}); Debian: apt-get install -y python3-torch`,
    };
  const args = [
    opts.script ?? defaultPytorchScript(),
    '--threads',
    String(opts.threads),
    '--batch',
    String(opts.batch),
    '--steps',
    String(opts.steps),
    '--sizes',
    opts.sizes.join(','),
  ];
  const r = await run(python, args);
  if (r.code !== 0)
    return {
      available: false,
      reason: `the PyTorch benchmark failed (exit ${r.code}): ${lastLine(r.stderr)}`,
    };
  try {
    return { available: true, report: JSON.parse(lastLine(r.stdout)) as PytorchReport };
  } catch {
    return { available: false, reason: `the PyTorch benchmark printed no JSON: ${lastLine(r.stdout)}` };
  }
};

/** ours / PyTorch per size, e.g. `{ train224, train160, infer224, infer160 }` (2 decimals). */
export type PytorchRatio = Record<string, number>;

const ratioOf = (ours: number | undefined, theirs: number | undefined) =>
  ours && theirs ? Math.round((ours / theirs) * 100) / 100 : undefined;

/**
 * Ratios of our rates to PyTorch's for every size both measured: `train<size>`/`infer<size>` from
 * wall-clock medians, and the same from the CPU-time bound rates (noise of a shared machine hits
 * the wall clock, less the CPU time). A size without inference on our side gets no infer ratio.
 */
export const pytorchRatios = (
  ours: EngineBenchReport,
  torch: PytorchReport,
): { ratio: PytorchRatio; ratio_cpu_bound: PytorchRatio } => {
  const ratio: PytorchRatio = {};
  const cpu: PytorchRatio = {};
  const put = (into: PytorchRatio, key: string, v: number | undefined) => {
    if (v !== undefined) into[key] = v;
  };
  for (const r of ours.results) {
    const t = torch.results.find((p) => p.size === r.size);
    if (!t) continue;
    put(ratio, `train${r.size}`, ratioOf(r.train_img_s, t.train_img_s));
    put(ratio, `infer${r.size}`, ratioOf(r.infer_img_s, t.infer_img_s));
    put(cpu, `train${r.size}`, ratioOf(r.train_img_s_cpu_bound, t.train_img_s_cpu_bound));
    put(cpu, `infer${r.size}`, ratioOf(r.infer_img_s_cpu_bound, t.infer_img_s_cpu_bound));
  }
  return { ratio, ratio_cpu_bound: cpu };
};

/** The `pytorch`/`ratio` part of the bench JSON: measured figures, or why there are none. */
export interface PytorchComparison {
  pytorch: PytorchReport | { available: false; reason: string };
  ratio?: PytorchRatio;
  ratio_cpu_bound?: PytorchRatio;
}

/**
 * Runs the PyTorch anchor right after our measurement with the same sizes, batch, step count
 * and thread count, and returns what the bench JSON adds. Logs one line per side.
 */
export const compareWithPytorch = async (
  ours: EngineBenchReport,
  opts: Omit<PytorchAnchorOptions, 'sizes' | 'batch' | 'steps'>,
  log: (line: string) => void = () => undefined,
): Promise<PytorchComparison> => {
  const sizes = ours.results.map((r) => r.size);
  log(
    `PyTorch anchor: same network, batch ${ours.batch}, sizes ${sizes.join(',')}, ${opts.threads} thread(s)`,
  );
  const anchor = await runPytorchAnchor({ ...opts, sizes, batch: ours.batch, steps: ours.steps });
  if (!anchor.available) {
    log(`PyTorch anchor skipped: ${anchor.reason}; our figures alone`);
    return { pytorch: anchor };
  }
  const { ratio, ratio_cpu_bound } = pytorchRatios(ours, anchor.report);
  log(
    `ours / PyTorch ${anchor.report.torch}: ${JSON.stringify(ratio)} (CPU-time bound ${JSON.stringify(ratio_cpu_bound)})`,
  );
  return { pytorch: anchor.report, ratio, ratio_cpu_bound };
};
