import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { captureIo } from '../../../support/capture-io';

const tiny = ['--sweeps', '2', '--frames', '2', '--size', '24', '--json', '--no-run'];

describe('sonofuse demo', () => {
  it('generates the synthetic set, imports it into the catalog and prints one JSON summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-democli-'));
    const out = join(dir, 'demo');
    const db = join(dir, 'catalog.db');
    const io = captureIo();
    expect(await runCli(['demo', '--out', out, '--db', db, ...tiny], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({
      out,
      images: 20,
      groups: 10,
      synthetic: true,
      catalog: { db, dataset: 'demo-phantom (synthetic)', imported: 20, skipped: 0, errors: 0 },
    });
    expect(existsSync(join(out, 'manifest.csv'))).toBe(true);
    // Running it again adds nothing: the import is resumable and deduplicated.
    const again = captureIo();
    expect(await runCli(['demo', '--out', out, '--db', db, ...tiny], again)).toBe(0);
    expect(JSON.parse(again.stdout[0]!).catalog).toMatchObject({ imported: 0, skipped: 20 });
  });

  it('runs every method on the imported demo set in a trainer process and reports them side by side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-demorun-'));
    const io = captureIo();
    const code = await runCli(
      [
        'demo',
        '--out',
        join(dir, 'demo'),
        '--db',
        join(dir, 'catalog.db'),
        '--sweeps',
        '3',
        '--frames',
        '2',
        '--size',
        '48',
        '--epochs1',
        '1',
        '--json',
      ],
      io,
    );
    expect(io.stderr.join('\n')).not.toMatch(/failed/);
    expect(code).toBe(0);
    const run = JSON.parse(io.stdout[0]!).run;
    expect(run.status).toBe('succeeded');
    expect(run.classes).toHaveLength(5);
    // The phantoms carry notes and probe metadata: all six methods train, none is skipped.
    expect(Object.keys(run.methods).sort()).toEqual([
      'linear_probe',
      'metadata_only',
      'note_only',
      'proposed',
      'stage1_image',
      'traditional_multimodal',
    ]);
    expect(run.skipped).toEqual({});
    expect(run.methods.stage1_image.best_epoch).toBe(1);
  }, 240_000);

  it('--no-import only writes the files', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sonofuse-democli-')), 'demo');
    const io = captureIo();
    expect(await runCli(['demo', '--out', out, '--no-import', ...tiny], io)).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ images: 20, catalog: null });
  });

  it('refuses nonsense sizes with usage', async () => {
    const io = captureIo();
    expect(await runCli(['demo', '--size', '0', '--no-import'], io)).toBe(2);
    expect(io.stderr.join('')).toContain('--size must be an integer');
  });
});
