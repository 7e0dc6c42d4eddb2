import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { captureIo } from '../../../support/capture-io';
import { DATASETS, tempDir } from '../catalog/support/catalog-fixtures';

const countImages = (db: string): number => {
  if (!existsSync(db)) return 0;
  try {
    const reader = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (reader.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
    } finally {
      reader.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
};

describe('an import killed with SIGKILL', () => {
  it('leaves a database that opens, passes integrity_check and completes on re-run', async () => {
    const db = join(tempDir('sonofuse-kill-'), 'kill.db');
    const manifest = join(DATASETS, 'busi', 'manifest.csv');
    const child = spawn(
      process.execPath,
      [
        'main/cli/bin.mjs',
        'import',
        manifest,
        '--db',
        db,
        '--dataset',
        'busi',
        '--reference-in-place',
        '--json',
      ],
      {
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    let atKill = 0;
    while (child.exitCode === null) {
      atKill = countImages(db);
      if (atKill >= 64) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The kill must land mid-import for the test to mean anything.
    expect(atKill).toBeGreaterThanOrEqual(64);
    expect(atKill).toBeLessThan(779);

    const check = new Database(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.pragma('foreign_key_check')).toEqual([]);
    const committed = (check.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
    // Whole batches of 32 entries only (BUSI's one duplicate makes later batches one image short).
    expect(committed).toBeGreaterThanOrEqual(atKill);
    expect([0, 31]).toContain(committed % 32);
    check.close();

    const io = captureIo();
    expect(
      await runCli(
        [
          'import',
          manifest,
          '--db',
          db,
          '--dataset',
          'busi',
          '--reference-in-place',
          '--no-thumbnails',
          '--json',
        ],
        io,
      ),
    ).toBe(0);
    const rerun = JSON.parse(io.stdout[0]!);
    expect(rerun.skipped).toBe(committed);
    expect(rerun.imported + rerun.skipped).toBe(779);
    const stats = captureIo();
    await runCli(['catalog', 'stats', '--db', db, '--json'], stats);
    expect(JSON.parse(stats.stdout[0]!).datasets[0]).toMatchObject({
      images: 779,
      labels: [
        { label: 'benign', count: 437 },
        { label: 'malignant', count: 209 },
        { label: 'normal', count: 133 },
      ],
    });
  });
});
