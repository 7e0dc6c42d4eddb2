import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { captureIo } from '../../../support/capture-io';

describe('sonofuse demo', () => {
  it('generates the synthetic set and prints one JSON summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sonofuse-democli-')), 'demo');
    const io = captureIo();
    expect(
      await runCli(['demo', '--out', out, '--sweeps', '2', '--frames', '2', '--size', '24', '--json'], io),
    ).toBe(0);
    expect(io.stdout).toHaveLength(1);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ out, images: 20, groups: 10, synthetic: true });
    expect(existsSync(join(out, 'manifest.csv'))).toBe(true);
  });

  it('refuses nonsense sizes with usage', async () => {
    const io = captureIo();
    expect(await runCli(['demo', '--size', '0'], io)).toBe(2);
    expect(io.stderr.join('')).toContain('--size must be an integer');
  });
});
