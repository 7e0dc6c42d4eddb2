import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { migrations } from '../../../../main/catalog/migrations/index';
import { tempDir } from './support/catalog-fixtures';

describe('migration 0006 (query indexes)', () => {
  it('upgrades a version-5 catalog with an index the label sort uses to find a task’s ordinals', () => {
    const path = join(tempDir(), 'v5.db');
    const old = openCatalogDb({ path, migrations: migrations.filter((m) => m.version < 6) });
    old.run('t', `INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')`);
    old.run(
      't',
      `INSERT INTO label_tasks (id, dataset_id, name, kind, created_at) VALUES (1, 1, 'label', 'single', 'now')`,
    );
    old.run('t', `INSERT INTO label_classes (task_id, name, ordinal) VALUES (1, 'b', 1), (1, 'a', 0)`);
    old.close();

    const upgraded = openCatalogDb({ path });
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    const sql = 'SELECT DISTINCT ordinal FROM label_classes WHERE task_id IN (?) ORDER BY ordinal';
    const plan = upgraded.all<{ detail: string }>('t', `EXPLAIN QUERY PLAN ${sql}`, 1).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/label_classes_ordinal \(task_id=\?\)/);
    expect(upgraded.all('t', sql, 1)).toEqual([{ ordinal: 0 }, { ordinal: 1 }]);
    upgraded.close();
  });
});
