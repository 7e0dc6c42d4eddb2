import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { storeDirFor } from '../../../../main/catalog/catalog-paths';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { currentOwner } from '../../../../main/catalog/import-owner';
import { INTERRUPTED_MESSAGE } from '../../../../main/catalog/import-recovery';
import { DATASETS, freshCatalog, importOptions, tempDir, writeFile } from './support/catalog-fixtures';

interface JobRow {
  id: number;
  status: string;
  finished_at: string | null;
  report: string | null;
}

const jobs = (db: { all<T>(name: string, sql: string): T[] }): JobRow[] =>
  db.all<JobRow>('t', 'SELECT id, status, finished_at, report FROM import_jobs ORDER BY id');

const temporaryFiles = (dbPath: string): string[] => {
  const tmp = join(storeDirFor(dbPath), '.tmp');
  return existsSync(tmp) ? readdirSync(tmp) : [];
};

describe('recovery of interrupted imports on open', () => {
  const opened: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const c of opened.splice(0)) c.close();
  });

  it('fails the jobs of dead processes with a resume message, keeps live ones and their temporary files', () => {
    const { catalog, dbPath } = freshCatalog();
    opened.push(catalog);
    const cdb = catalog.db();
    // A process that has exited: its pid no longer exists.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    cdb.run('t', `INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')`);
    const job = (owner: unknown) =>
      Number(
        cdb.run(
          't',
          `INSERT INTO import_jobs (dataset_id, source, kind, options, status, started_at)
           VALUES (1, '/src/manifest.csv', 'manifest', ?, 'running', '2026-01-01T00:00:00.000Z')`,
          JSON.stringify({ jobId: `job-${String(owner && (owner as { pid: number }).pid)}`, owner }),
        ).lastInsertRowid,
      );
    const dead = job({ pid: deadPid, token: 'gone' });
    const live = job(currentOwner());
    const legacy = job(undefined);
    cdb.run(
      't',
      `INSERT INTO images (dataset_id, sha256, file, original_path, format, source_format, width, height, bytes, import_job_id, imported_at)
       VALUES (1, ?, 'a.png', '/src/a.png', 'png', 'png', 4, 4, 10, ?, 'now')`,
      'a'.repeat(64),
      dead,
    );
    writeFile(join(storeDirFor(dbPath), '.tmp'), 'half-written.part', 'partial bytes');

    catalog.close();
    const reopened = jobs(catalog.db());
    expect(reopened.map((j) => [j.id, j.status])).toEqual([
      [dead, 'failed'],
      [live, 'running'],
      [legacy, 'failed'],
    ]);
    const report = JSON.parse(reopened[0]!.report!);
    expect(report).toMatchObject({
      importId: dead,
      jobId: `job-${deadPid}`,
      dataset: 'd',
      status: 'failed',
      imported: 1,
      interrupted: true,
      message: INTERRUPTED_MESSAGE,
    });
    expect(report.message).toMatch(/run the same import again to resume/);
    expect(reopened[0]!.finished_at).not.toBeNull();
    // Another import is still writing to the store: its temporary files must stay.
    expect(temporaryFiles(dbPath)).toEqual(['half-written.part']);

    catalog.db().run('t', `UPDATE import_jobs SET status = 'done' WHERE id = ?`, live);
    catalog.close();
    expect(jobs(catalog.db()).map((j) => j.status)).toEqual(['failed', 'done', 'failed']);
    expect(temporaryFiles(dbPath)).toEqual([]);
  });

  it('settles an import killed with SIGKILL (managed copies) so that it can be resumed', async () => {
    const dbPath = join(tempDir('sonofuse-recover-'), 'kill.db');
    const manifest = join(DATASETS, 'busi', 'manifest.csv');
    const child = spawn(
      process.execPath,
      [
        'main/cli/bin.mjs',
        'import',
        manifest,
        '--db',
        dbPath,
        '--dataset',
        'busi',
        '--no-thumbnails',
        '--json',
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const countImages = (): number => {
      if (!existsSync(dbPath)) return 0;
      try {
        const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
        try {
          return (reader.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
        } finally {
          reader.close();
        }
      } catch {
        return 0; // not created or not migrated yet
      }
    };
    let atKill = 0;
    while (child.exitCode === null) {
      atKill = countImages();
      if (atKill >= 64) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(atKill).toBeGreaterThanOrEqual(64);
    expect(atKill).toBeLessThan(779);

    const raw = new Database(dbPath);
    const before = raw.prepare('SELECT status FROM import_jobs').all();
    const committed = (raw.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
    raw.close();
    // What SIGKILL leaves: a job that claims to be running, and (had the kill landed inside a copy)
    // a half-written temporary file in the store, planted here since the kill rarely lands there.
    expect(before).toEqual([{ status: 'running' }]);
    writeFile(join(storeDirFor(dbPath), '.tmp'), 'c0ffee.part', 'half a PNG');

    const catalog = createCatalogService({ dbPath });
    opened.push(catalog);
    const [interrupted] = jobs(catalog.db());
    expect(interrupted!.status).toBe('failed');
    expect(JSON.parse(interrupted!.report!)).toMatchObject({
      status: 'failed',
      imported: committed,
      interrupted: true,
      message: INTERRUPTED_MESSAGE,
    });
    expect(temporaryFiles(dbPath)).toEqual([]);
    expect(catalog.db().db.pragma('integrity_check', { simple: true })).toBe('ok');

    const rerun = await catalog.import(
      importOptions({ source: manifest, dataset: 'busi', thumbnails: false }),
    );
    expect(rerun).toMatchObject({ status: 'done', skipped: committed });
    expect(rerun.imported + rerun.skipped).toBe(779);
    expect(jobs(catalog.db()).map((j) => j.status)).toEqual(['failed', 'done']);
    expect(temporaryFiles(dbPath)).toEqual([]);
  }, 120_000);
});
