import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import {
  BENCH_EXIT_UNAVAILABLE,
  createBenchCommand,
  parseBenchArgs,
} from '../../../../main/cli/commands/bench-command';
import type { BackendLoaders } from '../../../../main/engine/backend/backend-loaders';
import { captureIo } from '../../../support/capture-io';

/** Loaders of a machine where no backend package is installed and there is no GPU. */
const nothingInstalled: BackendLoaders = {
  resolvePackage: () => null,
  importModule: () => Promise.reject(new Error('must not load')),
  cudaDevice: () => ({ present: false, detail: 'no NVIDIA driver' }),
};

const tiny = ['--sizes', '32', '--steps', '1', '--batch', '2', '--skip-cpu', '--json'];

const parseOnlyJson = (stdout: string[]) => {
  expect(stdout).toHaveLength(1);
  return JSON.parse(stdout[0]!) as {
    backend: string;
    batch: number;
    replicas: number;
    results: Array<{ size: number; train_img_s: number; infer_img_s: number; peak_rss_mb: number }>;
  };
};

describe('sonofuse bench', () => {
  it('prints one JSON object with positive training and inference rates (wasm, one thread)', async () => {
    const io = captureIo();
    const code = await runCli(['bench', '--backend', 'wasm', '--replicas', '1', ...tiny], io);
    expect(io.stderr.join('\n')).toContain('backend wasm');
    expect(code).toBe(0);
    const report = parseOnlyJson(io.stdout);
    expect(report).toMatchObject({ backend: 'wasm', batch: 2, replicas: 1 });
    expect(report.results.map((r) => r.size)).toEqual([32]);
    const [r] = report.results;
    expect(r!.train_img_s).toBeGreaterThan(0);
    expect(r!.infer_img_s).toBeGreaterThan(0);
    expect(r!.peak_rss_mb).toBeGreaterThan(0);
  }, 120_000);

  it('runs the data-parallel path with two replica threads', async () => {
    const io = captureIo();
    const code = await runCli(['bench', '--backend', 'wasm', '--replicas', '2', ...tiny], io);
    expect(code).toBe(0);
    const report = parseOnlyJson(io.stdout);
    expect(report).toMatchObject({ backend: 'wasm x2 data-parallel', replicas: 2, batch: 2 });
    expect(report.results[0]!.train_img_s).toBeGreaterThan(0);
    expect(report.results[0]!.infer_img_s).toBeGreaterThan(0);
  }, 180_000);

  it('exits 3 with an UNAVAILABLE error, as JSON on stdout too, when the backend cannot run here', async () => {
    for (const backend of ['webgpu', 'tfjs-node-gpu']) {
      const io = captureIo();
      const code = await createBenchCommand({ loaders: nothingInstalled }).run(
        ['--backend', backend, ...tiny],
        io,
      );
      expect(code).toBe(BENCH_EXIT_UNAVAILABLE);
      expect(io.stderr.join('\n')).toMatch(new RegExp(`UNAVAILABLE: backend '${backend}' is not available`));
      const answer = JSON.parse(io.stdout[0]!) as { ok: boolean; error: { code: string; message: string } };
      expect(answer.ok).toBe(false);
      expect(answer.error.code).toBe('UNAVAILABLE');
      expect(answer.error.message).toContain('not installed');
    }
  });

  it('rejects bad flags with exit code 2 and the usage line', async () => {
    const bad = [
      ['--backend', 'tpu'],
      ['--sizes', '224,abc'],
      ['--sizes', '16'],
      ['--steps', '0'],
      ['--batch', '-4'],
      ['--batch', '3', '--replicas', '2', '--backend', 'wasm'],
      ['--frobnicate'],
      ['extra-positional'],
    ];
    for (const args of bad) {
      const io = captureIo();
      expect(await runCli(['bench', ...args], io)).toBe(2);
      expect(io.stderr.join('\n')).toContain('Usage: sonofuse bench');
      expect(io.stdout).toEqual([]);
    }
  });

  it('parses the flags bench/gpu-check.sh passes', () => {
    expect(
      parseBenchArgs(['--json', '--backend', 'webgpu', '--sizes', '224', '--steps', '5', '--skip-cpu']),
    ).toEqual({
      json: true,
      backend: 'webgpu',
      sizes: [224],
      steps: 5,
      batch: 16,
      replicas: 2,
      skipCpu: true,
      comparePytorch: false,
    });
    expect(parseBenchArgs(['--compare-pytorch', '--python', '/opt/py'])).toMatchObject({
      comparePytorch: true,
      python: '/opt/py',
    });
  });
});
