import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineBenchReport } from '../../../../../main/engine/bench/engine-benchmark';
import {
  compareWithPytorch,
  pytorchRatios,
  runPytorchAnchor,
} from '../../../../../main/engine/bench/pytorch-anchor';

const dir = mkdtempSync(join(tmpdir(), 'sonofuse-fake-python-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake interpreter: `-c 'import torch'` exits `probeExit`; running the script prints `stdout`. */
const fakePython = (name: string, probeExit: number, stdout: string, argsLog?: string) => {
  const file = join(dir, name);
  writeFileSync(
    file,
    `#!/bin/sh\nif [ "$1" = "-c" ]; then echo "ModuleNotFoundError: No module named 'torch'" >&2; exit ${probeExit}; fi\n` +
      (argsLog ? `echo "$@" > ${argsLog}\n` : '') +
      `cat <<'JSON'\n${stdout}\nJSON\n`,
  );
  chmodSync(file, 0o755);
  return file;
};

// Our side: 224 and 160 px; figures chosen so the ratios are exact to 2 decimals.
const ours: EngineBenchReport = {
  backend: 'wasm x2 data-parallel',
  replicas: 2,
  batch: 16,
  steps: 3,
  results: [
    {
      size: 224,
      train_img_s: 9,
      infer_img_s: 50,
      peak_rss_mb: 2000,
      train_img_s_cpu_bound: 12,
      infer_img_s_cpu_bound: 60,
    },
    { size: 160, train_img_s: 20, infer_img_s: 0, peak_rss_mb: 2000, train_img_s_cpu_bound: 30 },
  ],
};
const torchJson = {
  torch: '1.13.0',
  threads: 2,
  batch: 16,
  steps: 3,
  results: [
    {
      size: 224,
      train_img_s: 10,
      infer_img_s: 100,
      train_img_s_cpu_bound: 10,
      infer_img_s_cpu_bound: 80,
      peak_rss_mb: 900,
    },
    {
      size: 160,
      train_img_s: 40,
      infer_img_s: 150,
      train_img_s_cpu_bound: 40,
      infer_img_s_cpu_bound: 160,
      peak_rss_mb: 900,
    },
  ],
};

describe('PyTorch anchor of the engine benchmark', () => {
  it('ratios are ours / PyTorch per size; no infer ratio where we did not measure inference', () => {
    expect(pytorchRatios(ours, torchJson)).toEqual({
      ratio: { train224: 0.9, infer224: 0.5, train160: 0.5 },
      ratio_cpu_bound: { train224: 1.2, infer224: 0.75, train160: 0.75 },
    });
  });

  it('passes the same sizes, batch, steps and thread count to the script and merges its JSON', async () => {
    const argsLog = join(dir, 'args.txt');
    const python = fakePython('python-ok', 0, JSON.stringify(torchJson), argsLog);
    const lines: string[] = [];
    const c = await compareWithPytorch(ours, { threads: 2, python, script: 'bench.py' }, (l) =>
      lines.push(l),
    );
    expect(c.pytorch).toEqual(torchJson);
    expect(c.ratio).toEqual({ train224: 0.9, infer224: 0.5, train160: 0.5 });
    expect(readFileSync(argsLog, 'utf8').trim()).toBe(
      'bench.py --threads 2 --batch 16 --steps 3 --sizes 224,160',
    );
    expect(lines.join('\n')).toContain('ours / PyTorch 1.13.0');
  });

  it('says PyTorch is absent (and gives no ratio) when import torch fails or python is missing', async () => {
    const noTorch = fakePython('python-no-torch', 1, '{}');
    const c = await compareWithPytorch(ours, { threads: 2, python: noTorch });
    expect(c).toEqual({
      pytorch: { available: false, reason: expect.stringContaining("No module named 'torch'") },
    });
    const missing = await runPytorchAnchor({
      sizes: [224],
      batch: 2,
      steps: 1,
      threads: 1,
      python: join(dir, 'nope'),
    });
    expect(missing.available).toBe(false);
    if (!missing.available) expect(missing.reason).toContain('PyTorch is not available');
  });

  it('reports a failing or silent script instead of throwing', async () => {
    const garbage = fakePython('python-garbage', 0, 'not json');
    const r = await runPytorchAnchor({ sizes: [224], batch: 2, steps: 1, threads: 1, python: garbage });
    expect(r).toEqual({ available: false, reason: 'the PyTorch benchmark printed no JSON: not json' });
  });
});
