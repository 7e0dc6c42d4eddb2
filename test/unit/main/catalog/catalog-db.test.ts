import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openCatalogDb } from '../../../../main/catalog/catalog-db';
import { migrations } from '../../../../main/catalog/migrations/index';
import { createLogger } from '../../../../main/core/logger';
import { tempDir } from './support/catalog-fixtures';

describe('catalog database', () => {
  it('opens in WAL mode with foreign keys on and every migration applied', () => {
    const cdb = openCatalogDb({ path: join(tempDir(), 'c.db') });
    expect(cdb.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(cdb.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(cdb.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(() =>
      cdb.run('bad.fk', 'INSERT INTO groups (dataset_id, kind, key) VALUES (999, ?, ?)', 'patient', 'x'),
    ).toThrow(/FOREIGN KEY/);
    cdb.close();
  });

  it('upgrades a database made by migration N-1 and keeps (and indexes) its data', () => {
    const path = join(tempDir(), 'old.db');
    const old = openCatalogDb({ path, migrations: migrations.slice(0, -1) });
    expect(old.db.pragma('user_version', { simple: true })).toBe(migrations.length - 1);
    old.run('t', `INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')`);
    old.run(
      't',
      `INSERT INTO images (id, dataset_id, sha256, file, original_path, format, source_format, width, height, bytes, imported_at)
       VALUES (1, 1, ?, 'a.png', '/x/a.png', 'png', 'png', 4, 4, 10, 'now')`,
      'a'.repeat(64),
    );
    old.run(
      't',
      `INSERT INTO notes (image_id, text, updated_at, updated_by) VALUES (1, 'echogenic focus noted', 'now', 'u')`,
    );
    old.close();
    const upgraded = openCatalogDb({ path });
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(upgraded.all('t', `SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'echogenic'`)).toEqual([
      { rowid: 1 },
    ]);
    expect(upgraded.get('t', 'SELECT file FROM images WHERE id = 1')).toEqual({ file: 'a.png' });
    upgraded.close();
  });

  it('refuses a database from a newer SonoFuse', () => {
    const path = join(tempDir(), 'new.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => openCatalogDb({ path })).toThrow(/newer than this SonoFuse/);
  });

  it('rolls a failing migration back whole', () => {
    const db = new Database(':memory:');
    const broken = [
      {
        version: 1,
        name: 'broken',
        up: (d: Database.Database) => d.exec('CREATE TABLE a (x); CREATE TABLE a (y);'),
        postgres: 'CREATE TABLE a (x int); CREATE TABLE a (y int);',
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'`).get()).toEqual({ n: 0 });
  });

  it('logs slow statements by name only, never their parameters', () => {
    const logger = createLogger({ minLevel: 'debug' });
    const cdb = openCatalogDb({ path: join(tempDir(), 's.db'), logger, slowQueryMs: 0 });
    cdb.get('notes.search', 'SELECT ? AS secret', 'Jane Doe, MRN 12345678');
    const lines = logger.recent(50).map((e) => e.message);
    expect(lines.some((l) => /^slow query notes\.search: [\d.]+ ms$/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain('Jane');
    cdb.close();
  });

  it('keeps the history append-only and split assignments frozen', () => {
    const cdb = openCatalogDb({ path: join(tempDir(), 'h.db') });
    cdb.run('t', `INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')`);
    cdb.run(
      't',
      `INSERT INTO images (id, dataset_id, sha256, file, original_path, format, source_format, width, height, bytes, imported_at)
       VALUES (1, 1, ?, 'a.png', '/x/a.png', 'png', 'png', 4, 4, 10, 'now')`,
      'b'.repeat(64),
    );
    cdb.run(
      't',
      `INSERT INTO history (batch_id, image_id, kind, user, origin, at) VALUES (1, 1, 'note', 'u', 'edit', 'now')`,
    );
    expect(() => cdb.run('t', `UPDATE history SET user = 'x'`)).toThrow(/append-only/);
    expect(() => cdb.run('t', 'DELETE FROM history')).toThrow(/append-only/);
    cdb.run(
      't',
      `INSERT INTO splits (id, dataset_id, name, seed, ratios, created_at) VALUES (1, 1, 's', 1, '{}', 'now')`,
    );
    cdb.run('t', `INSERT INTO split_assignments (split_id, image_id, part) VALUES (1, 1, 'train')`);
    expect(() => cdb.run('t', `UPDATE split_assignments SET part = 'test'`)).toThrow(/frozen/);
    cdb.close();
  });

  it('creates its folder 0700 and the database, -wal and -shm 0600 under an ordinary umask', () => {
    const previous = process.umask(0o022); // what a user's shell has: 0644 files, 0755 folders
    try {
      const folder = join(tempDir(), 'data', 'ws');
      const path = join(folder, 'catalog.db');
      const cdb = openCatalogDb({ path });
      cdb.run('t', `INSERT INTO datasets (name, created_at) VALUES ('d', 'now')`);
      expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
      const mode = (p: string): number => statSync(p).mode & 0o777;
      expect([mode(join(folder, '..')), mode(folder)]).toEqual([0o700, 0o700]);
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      cdb.close();

      // A catalog an older SonoFuse left world-readable is tightened when it is opened.
      chmodSync(path, 0o644);
      writeFileSync(`${path}-wal`, '', { mode: 0o644 });
      chmodSync(`${path}-wal`, 0o644);
      const reopened = openCatalogDb({ path });
      expect([mode(path), mode(`${path}-wal`)]).toEqual([0o600, 0o600]);
      expect([cdb.wasLoose, reopened.wasLoose]).toEqual([false, true]);
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      reopened.close();
      // A user's own existing folder keeps its mode (`--db ~/x.db` never touches ~).
      const own = tempDir();
      chmodSync(own, 0o755);
      openCatalogDb({ path: join(own, 'x.db') }).close();
      expect(mode(own)).toBe(0o755);
    } finally {
      process.umask(previous);
    }
  });
});
