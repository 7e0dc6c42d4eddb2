import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunCurvePoint } from '../../../../shared/run/run-progress';
import { createCurveWriter, CURVES_FILE, readCurves } from '../../../../main/runs/run-curves';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sonofuse-curves-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const point = (
  seed: number,
  method: RunCurvePoint['method'],
  epoch: number,
  loss: number,
): RunCurvePoint => ({
  seed,
  method,
  epoch,
  trainLoss: loss,
  trainAccuracy: null,
  validationLoss: loss + 0.1,
  validationAccuracy: 0.5 + epoch / 10,
});

describe('run curves', () => {
  it('stores points as JSON lines in arrival order and reads them back per seed, method and epoch', async () => {
    const errors: string[] = [];
    const writer = createCurveWriter((_d, e) => errors.push(e.message));
    writer.append(dir, point(2, 'stage1_image', 1, 0.9));
    writer.append(dir, point(1, 'stage1_image', 2, 0.7));
    writer.append(dir, point(1, 'stage1_image', 1, 0.8));
    writer.append(dir, point(1, 'note_only', 1, 1.1));
    await writer.flush(dir);
    expect(readFileSync(join(dir, CURVES_FILE), 'utf8').trim().split('\n')).toHaveLength(4);
    const curves = await readCurves(dir);
    expect(curves.map((c) => [c.seed, c.method, c.epoch, c.trainLoss])).toEqual([
      [1, 'note_only', 1, 1.1],
      [1, 'stage1_image', 1, 0.8],
      [1, 'stage1_image', 2, 0.7],
      [2, 'stage1_image', 1, 0.9],
    ]);
    expect(curves[1]).toEqual(point(1, 'stage1_image', 1, 0.8));
    expect(errors).toEqual([]);
  });

  it('keeps the last copy of a point re-sent after a resume and skips a line torn by a crash', async () => {
    const writer = createCurveWriter(() => undefined);
    writer.append(dir, point(1, 'stage1_image', 1, 0.8));
    writer.append(dir, point(1, 'stage1_image', 2, 0.75));
    await writer.flush();
    appendFileSync(join(dir, CURVES_FILE), '{"seed":1,"method":"stage1_im'); // killed mid-write
    appendFileSync(join(dir, CURVES_FILE), '\n');
    writer.append(dir, point(1, 'stage1_image', 2, 0.6)); // epoch 2 again after the resume
    await writer.flush(dir);
    const curves = await readCurves(dir);
    expect(curves.map((c) => [c.epoch, c.trainLoss])).toEqual([
      [1, 0.8],
      [2, 0.6],
    ]);
  });

  it('answers no points for a run without a file, and reports a folder that cannot be written or a bad point', async () => {
    expect(await readCurves(join(dir, 'missing'))).toEqual([]);
    const errors: string[] = [];
    const writer = createCurveWriter((d, e) => errors.push(`${d}: ${e.message.split(':')[0]}`));
    writer.append(join(dir, 'no', 'such'), point(1, 'stage1_image', 1, 0.8));
    await writer.flush();
    expect(errors).toEqual([`${join(dir, 'no', 'such')}: ENOENT`]);
    writer.append(dir, { ...point(1, 'stage1_image', 1, 0.8), trainLoss: Number.NaN }); // diverged
    await writer.flush();
    expect(errors[1]).toMatch(/^.*: invalid curve point/);
    expect(await readCurves(dir)).toEqual([]);
  });
});
