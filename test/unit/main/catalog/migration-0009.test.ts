import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { migrations } from '../../../../main/catalog/migrations/index';
import { tempDir } from './support/catalog-fixtures';

describe('migration 0009 (burned-in annotation)', () => {
  it('adds images.burned_in (0 for existing images) and datasets.burned_in_mask, both checked', () => {
    const path = join(tempDir(), 'v8.db');
    const old = openCatalogDb({ path, migrations: migrations.filter((m) => m.version < 9) });
    old.run('t', `INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')`);
    old.run(
      't',
      `INSERT INTO images (id, dataset_id, sha256, file, original_path, format, source_format, width, height, bytes, imported_at)
       VALUES (1, 1, ?, 'a.dcm', '/x/a.dcm', 'png', 'dicom', 4, 4, 10, 'now')`,
      'a'.repeat(64),
    );
    old.close();

    const upgraded = openCatalogDb({ path });
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(upgraded.get('t', 'SELECT burned_in FROM images WHERE id = 1')).toEqual({ burned_in: 0 });
    expect(upgraded.get('t', 'SELECT burned_in_mask FROM datasets WHERE id = 1')).toEqual({
      burned_in_mask: null,
    });
    upgraded.run('t', 'UPDATE images SET burned_in = 2 WHERE id = 1');
    expect(() => upgraded.run('t', 'UPDATE images SET burned_in = 3 WHERE id = 1')).toThrow(/CHECK/);
    upgraded.run('t', `UPDATE datasets SET burned_in_mask = '{"x":0,"y":0,"w":5,"h":5}' WHERE id = 1`);
    expect(() => upgraded.run('t', `UPDATE datasets SET burned_in_mask = 'not json' WHERE id = 1`)).toThrow(
      /CHECK/,
    );
    // The partial index serves the per-dataset count.
    const plan = upgraded.all<{ detail: string }>(
      't',
      'EXPLAIN QUERY PLAN SELECT count(*) FROM images WHERE dataset_id = 1 AND burned_in > 0',
    );
    expect(plan.map((p) => p.detail).join(' ')).toContain('images_burned_in');
    upgraded.close();
  });
});
