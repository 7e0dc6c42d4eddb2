import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkGuard } from './deny-network';
import { denyNetwork } from './deny-network';
import { writeTinyHfModel } from './tiny-hf-model';

describe('encoders with networking denied', () => {
  let guard: NetworkGuard;
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'sonofuse-offline-'));
    writeTinyHfModel(join(scratch, 'tiny-bert'));
    guard = denyNetwork();
  });
  afterAll(() => {
    guard.restore();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the guard itself catches an outbound request (so the assertions below can fail)', async () => {
    const before = guard.attempts.length;
    await expect(fetch('http://example.com/')).rejects.toThrow(/network denied/);
    const net = await import('node:net');
    expect(() => net.connect(443, '93.184.216.34')).toThrow(/network denied/);
    expect(guard.attempts.length).toBe(before + 2);
    guard.attempts.length = 0;
  });

  it('loads and runs every encoder without any outbound connection', async () => {
    // imported after the guard went up, so nothing in their module graph can connect unseen
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const { createImageBackbone } = await import('../../../../../main/engine/encoders/image-backbone');
    const { createTextEncoder } = await import('../../../../../main/engine/encoders/text-encoder');
    const { createMetadataEncoder } = await import('../../../../../main/engine/encoders/metadata-encoder');

    const backbone = await createImageBackbone({ source: 'nsfwjs-mobilenetv2', inputSize: 64 });
    const features = backbone.model.predict(tf.zeros([1, 64, 64, 3])) as Tensor;
    expect(features.shape).toEqual([1, 1280]);
    features.dispose();
    backbone.dispose();

    const use = await createTextEncoder({ kind: 'use-lite' });
    const notes = await use.embed(['Fetal head biometry within normal limits.', '']);
    expect(notes.shape).toEqual([2, 512]);
    notes.dispose();
    use.dispose();

    const hf = await createTextEncoder({ kind: 'hf-local', folder: join(scratch, 'tiny-bert') });
    const hfOut = await hf.embed(['fetal head']);
    expect(hfOut.shape).toEqual([1, 4]);
    hfOut.dispose();
    hf.dispose();

    const meta = createMetadataEncoder({ columns: [{ name: 'ga_weeks', kind: 'number' }] }).fit([
      { ga_weeks: 20 },
    ]);
    expect(meta.width).toBe(2);

    expect(guard.attempts).toEqual([]);
  });
});
