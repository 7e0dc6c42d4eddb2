import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { migrations } from '../../../../main/catalog/migrations/index';
import { tempDir } from './support/catalog-fixtures';

describe('migration 0007 (flags, colours, task log)', () => {
  it('upgrades a catalog keeping every history row and id, and keeps history append-only', () => {
    const path = join(tempDir(), 'v6.db');
    const old = openCatalogDb({ path, migrations: migrations.filter((m) => m.version < 7) });
    old.run('t', `INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')`);
    old.run(
      't',
      `INSERT INTO images (id, dataset_id, sha256, file, original_path, format, source_format, width, height, bytes, imported_at)
       VALUES (1, 1, ?, 'a.png', '/x/a.png', 'png', 'png', 4, 4, 10, 'now')`,
      'a'.repeat(64),
    );
    old.run(
      't',
      `INSERT INTO label_tasks (id, dataset_id, name, kind, created_at) VALUES (1, 1, 'label', 'single', 'now')`,
    );
    old.run('t', `INSERT INTO label_classes (id, task_id, name, ordinal) VALUES (1, 1, 'a', 0)`);
    for (const [id, kind] of [
      [5, 'label'],
      [9, 'note'],
    ] as const)
      old.run(
        't',
        `INSERT INTO history (id, batch_id, image_id, kind, task_id, from_value, to_value, user, origin, at)
         VALUES (?, ?, 1, ?, ?, 'null', '"x"', 'ana', 'edit', 'then')`,
        id,
        id,
        kind,
        kind === 'label' ? 1 : null,
      );
    old.close();

    const upgraded = openCatalogDb({ path });
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(upgraded.all('t', 'SELECT id, kind, task_id, user FROM history ORDER BY id')).toEqual([
      { id: 5, kind: 'label', task_id: 1, user: 'ana' },
      { id: 9, kind: 'note', task_id: null, user: 'ana' },
    ]);
    upgraded.run(
      't',
      `INSERT INTO history (batch_id, image_id, kind, from_value, to_value, user, origin, at)
       VALUES (10, 1, 'flag', 'null', '"why"', 'ana', 'edit', 'now')`,
    );
    expect(() => upgraded.run('t', `UPDATE history SET user = 'eve' WHERE id = 5`)).toThrow(/append-only/);
    expect(() => upgraded.run('t', 'DELETE FROM history WHERE id = 5')).toThrow(/append-only/);
    expect(() =>
      upgraded.run(
        't',
        `INSERT INTO history (batch_id, image_id, kind, user, origin, at) VALUES (11, 1, 'bogus', 'a', 'edit', 'n')`,
      ),
    ).toThrow(/CHECK/);
    expect(upgraded.get('t', `SELECT colour FROM label_classes WHERE id = 1`)).toEqual({ colour: null });
    expect(() => upgraded.run('t', `UPDATE label_classes SET colour = 'red' WHERE id = 1`)).toThrow(/CHECK/);
    upgraded.run('t', `UPDATE label_classes SET colour = '#0a0b0c' WHERE id = 1`);
    upgraded.run(
      't',
      `INSERT INTO image_flags (image_id, reason, flagged_by, flagged_at) VALUES (1, 'r', 'ana', 'now')`,
    );
    expect(upgraded.get('t', 'SELECT count(*) AS n FROM image_flags')).toEqual({ n: 1 });
    upgraded.close();
  });
});
