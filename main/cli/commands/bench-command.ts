import { parseArgs } from 'node:util';
import type { EngineBackendName } from '../../engine/backend/backend-candidates';
import { DEFAULT_BACKEND_ORDER } from '../../engine/backend/backend-candidates';
import type { BackendLoaders } from '../../engine/backend/backend-loaders';
import type { BackendInstaller, SelectedBackend } from '../../engine/backend/select-backend';
import { NoBackendError, selectBackend } from '../../engine/backend/select-backend';
import type { EngineBenchReport } from '../../engine/bench/engine-benchmark';
import type { PytorchComparison } from '../../engine/bench/pytorch-anchor';
import type { CliCommand } from '../command';
import { UsageError } from '../command';

const BACKENDS: readonly EngineBackendName[] = ['wasm', 'cpu', 'webgpu', 'tfjs-node', 'tfjs-node-gpu'];

/** Exit code when the asked-for backend cannot run here (distinct from usage errors and crashes). */
export const BENCH_EXIT_UNAVAILABLE = 3;

/** What the command touches; injected in tests. */
export interface BenchCommandDeps {
  /** Module loaders for backend selection (default: the real ones). */
  loaders?: BackendLoaders;
  /** Builds (if stale) and returns the SonoFuse wasm kernel module path. */
  kernelsPath?: () => string;
}

const positiveInt = (flag: string, text: string, min = 1): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${flag} must be an integer >= ${min}, got '${text}'`);
  return n;
};

/** Parsed, validated flags. Throws {@link UsageError}. */
export const parseBenchArgs = (args: string[]) => {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      backend: { type: 'string' },
      sizes: { type: 'string', default: '224,160' },
      steps: { type: 'string', default: '3' },
      batch: { type: 'string', default: '16' },
      replicas: { type: 'string', default: '2' },
      'skip-cpu': { type: 'boolean', default: false },
      'compare-pytorch': { type: 'boolean', default: false },
      python: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const backend = values.backend as EngineBackendName | undefined;
  if (backend !== undefined && !BACKENDS.includes(backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got '${backend}'`);
  // MobileNetV2 halves the side five times: below 32 px the last blocks have nothing to convolve.
  const sizes = values.sizes.split(',').map((s) => positiveInt('sizes', s, 32));
  const batch = positiveInt('batch', values.batch);
  const replicas = positiveInt('replicas', values.replicas);
  if (backend === 'wasm' && replicas > 1 && batch % replicas !== 0)
    throw new UsageError(`--batch ${batch} does not split evenly over --replicas ${replicas}`);
  return {
    json: values.json,
    backend,
    sizes,
    steps: positiveInt('steps', values.steps),
    batch,
    replicas,
    skipCpu: values['skip-cpu'],
    comparePytorch: values['compare-pytorch'],
    python: values.python,
  };
};

/** The `--json` answer: the benchmark report, the chosen backend's detail line, the cpu baseline. */
type BenchJson = EngineBenchReport &
  Partial<PytorchComparison> & {
    backend_detail: string;
    /** Peak resident memory of this process (our side; the PyTorch child is not counted). */
    peak_rss_mb: number;
    baseline_cpu?: Array<{ size: number; train_img_s: number; batch: number }>;
  };

const wasmInstaller = (kernelsPath: () => string): BackendInstaller => ({
  name: 'sonofuse-wasm-kernels',
  install: async (tf) => {
    const { installWasmTrainingKernels } = await import('../../engine/wasm/install-training-kernels');
    const { describeKernelBuild } = await import('../../engine/wasm/build-kernels');
    const wasmPath = kernelsPath();
    installWasmTrainingKernels(tf, { wasmPath });
    return describeKernelBuild(wasmPath);
  },
});

/**
 * `sonofuse bench`: MobileNetV2 training and inference speed on one backend (the engine benchmark
 * of main/engine/bench). With `--json`, exactly one JSON object on stdout: the report, or
 * `{ ok: false, error: { code: 'UNAVAILABLE', message }, attempts }` with exit code 3 when the
 * backend cannot run here.
 */
export const createBenchCommand = (deps: BenchCommandDeps = {}): CliCommand => ({
  name: 'bench',
  summary: 'Engine speed: MobileNetV2 training and inference images/s on a compute backend.',
  usage:
    'sonofuse bench [--json] [--backend wasm|cpu|webgpu|tfjs-node|tfjs-node-gpu] [--sizes 224,160] ' +
    '[--steps 3] [--batch 16] [--replicas 2] [--skip-cpu] [--compare-pytorch [--python /usr/bin/python3]]',
  async run(args, io) {
    const o = parseBenchArgs(args);
    // Engine modules load on use, so `sonofuse --help` and the other commands stay quick.
    const { ensureKernelsBuilt } = await import('../../engine/wasm/build-kernels');
    const kernelsPath = deps.kernelsPath ?? (() => ensureKernelsBuilt());
    let wasmPath: string | undefined;
    const installer = wasmInstaller(() => (wasmPath = kernelsPath()));
    let selected: SelectedBackend;
    try {
      selected = await selectBackend({
        order: o.backend ? [o.backend] : DEFAULT_BACKEND_ORDER,
        loaders: deps.loaders,
        installers: { wasm: [installer] },
      });
    } catch (err) {
      if (!(err instanceof NoBackendError)) throw err;
      const what = o.backend
        ? `backend '${o.backend}' is not available here`
        : 'no backend is available here';
      const message = `${what}: ${err.attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`;
      if (o.json)
        io.out(
          JSON.stringify({ ok: false, error: { code: 'UNAVAILABLE', message }, attempts: err.attempts }),
        );
      io.err(`sonofuse bench: UNAVAILABLE: ${message}`);
      return BENCH_EXIT_UNAVAILABLE;
    }
    const { tf, backend } = selected;
    const detail = selected.attempts[selected.attempts.length - 1]!.reason;
    const progress = (line: string) => (o.json ? io.err(line) : io.out(line));
    const replicas = backend === 'wasm' ? o.replicas : 1;
    progress(
      `backend ${backend} (${detail}); batch ${o.batch}, ${o.steps} timed steps, ${replicas} thread(s)`,
    );
    // Keep stdout for the one JSON object even if a library logs.
    const { runEngineBenchmark, runSingleStepBaseline, peakRssMb } =
      await import('../../engine/bench/engine-benchmark');
    const consoleLog = console.log;
    if (o.json) console.log = console.error;
    try {
      const measured = await runEngineBenchmark({
        tf,
        backend,
        sizes: o.sizes,
        steps: o.steps,
        batch: o.batch,
        replicas,
        wasmPath,
        log: progress,
      });
      const report: BenchJson = { ...measured, backend_detail: detail, peak_rss_mb: peakRssMb() };
      if (o.comparePytorch) {
        const { compareWithPytorch } = await import('../../engine/bench/pytorch-anchor');
        Object.assign(
          report,
          await compareWithPytorch(measured, { threads: replicas, python: o.python }, progress),
        );
      }
      if (!o.skipCpu) {
        await tf.setBackend('cpu');
        const b = await runSingleStepBaseline(tf, 2, o.sizes[0]);
        report.baseline_cpu = [{ size: b.size, train_img_s: b.train_img_s, batch: b.batch }];
        progress(`cpu baseline ${b.size}px: one step of ${b.batch} images in ${b.seconds} s`);
      }
      if (o.json) io.out(JSON.stringify(report));
      return 0;
    } finally {
      console.log = consoleLog;
    }
  },
});

export const benchCommand = createBenchCommand();
