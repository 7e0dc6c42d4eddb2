import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { captureIo } from '../../../support/capture-io';

describe('sonofuse augment-preview', () => {
  it('writes a contact sheet of n draws per image for a catalog dataset, the same for the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-augcli-'));
    const db = join(dir, 'catalog.db');
    const setup = captureIo();
    expect(
      await runCli(
        [
          'demo',
          '--out',
          join(dir, 'demo'),
          '--db',
          db,
          '--sweeps',
          '1',
          '--frames',
          '1',
          '--size',
          '64',
          '--json',
          '--no-run',
        ],
        setup,
      ),
    ).toBe(0);
    const run = async (out: string, seed: string) => {
      const io = captureIo();
      const code = await runCli(
        [
          'augment-preview',
          '--db',
          db,
          '--dataset',
          'demo-phantom (synthetic)',
          '--out',
          out,
          '--n',
          '3',
          '--images',
          '2',
          '--size',
          '32',
          '--seed',
          seed,
          '--json',
        ],
        io,
      );
      return { code, summary: JSON.parse(io.stdout[0] ?? '{}'), err: io.stderr.join('') };
    };
    const a = await run(join(dir, 'a.png'), '5');
    expect(a.code).toBe(0);
    expect(a.summary).toMatchObject({ images: 2, n: 3, preset: 'ultrasound-default', seed: 5 });
    const meta = await sharp(join(dir, 'a.png')).metadata();
    expect([meta.width, meta.height]).toEqual([a.summary.width, a.summary.height]);
    expect(meta.width! >= 3 * 32 && meta.height! >= 2 * 32).toBe(true);
    const b = await run(join(dir, 'b.png'), '5');
    const c = await run(join(dir, 'c.png'), '6');
    const pixels = async (f: string) => (await sharp(join(dir, f)).raw().toBuffer()).toString('base64');
    expect(await pixels('b.png')).toBe(await pixels('a.png'));
    expect(await pixels('c.png')).not.toBe(await pixels('a.png'));
    expect([b.code, c.code]).toEqual([0, 0]);
  });

  it('refuses an unknown dataset and an unknown preset with clear errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-augcli-'));
    const io = captureIo();
    expect(
      await runCli(
        ['augment-preview', '--db', join(dir, 'c.db'), '--dataset', 'nope', '--out', join(dir, 'x.png')],
        io,
      ),
    ).toBe(1);
    expect(io.stderr.join('')).toContain('no dataset "nope"');
    const bad = captureIo();
    expect(
      await runCli(['augment-preview', '--dataset', 'd', '--out', 'x.png', '--preset', 'wild'], bad),
    ).toBe(2);
  });
});
