import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTrainer } from '../../electron.config';
import { createForkTransport } from '../../main/engine/trainer/fork-transport';
import { createTrainerSupervisor } from '../../main/engine/trainer/trainer-supervisor';
import { RunJobResult } from '../../main/runs/run-job-result';
import { writeTinyRunFixture } from '../support/tiny-run-fixture';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside the project so the bundles resolve node_modules, as out/trainer does in the app.
const outdir = join(root, 'out', `trainer-test-${process.pid}`);
const work = mkdtempSync(join(tmpdir(), 'sonofuse-bundle-'));
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('the bundled trainer (what the desktop app starts as a utilityProcess)', () => {
  it('builds three ESM bundles that run a two-stage job with data-parallel replicas, without tsx', async () => {
    await buildTrainer(root, outdir);
    expect(readdirSync(outdir).sort()).toEqual(['replica-worker.js', 'stage1-model.js', 'trainer-entry.js']);
    const { manifestPath } = await writeTinyRunFixture(work, { methods: ['stage1_image'] });
    const supervisor = createTrainerSupervisor({
      transport: () =>
        createForkTransport({ entry: join(outdir, 'trainer-entry.js'), execArgv: [], cwd: root }),
      backendOrder: ['wasm'],
    });
    const run = await supervisor.start(
      { id: 'bundle', kind: 'two-stage-run', config: { manifestPath, replicas: 2 } },
      { runDir: join(work, 'run') },
    );
    const outcome = await run.outcome;
    if (outcome.status !== 'completed') throw new Error(JSON.stringify(outcome));
    const result = RunJobResult.parse(outcome.result);
    expect(result.backend).toBe('wasm (2 wasm replica threads)');
    expect(result.methods.stage1_image!.test.n).toBe(6);
  }, 120_000);
});
