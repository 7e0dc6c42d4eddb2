import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/catalog/migrations/index';
import { migratePg } from '../../../../main/catalog-store/pg-migrate';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';

describe('migrations: one numbered list, two engines', () => {
  it('every migration has a PostgreSQL variant', () => {
    const missing = migrations.filter((m) => !m.postgres || !m.postgres.trim()).map((m) => m.version);
    expect(missing).toEqual([]);
  });
  it('versions are 1..n with no gap', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });
});

describe.skipIf(pgSkipReason !== null)(`migratePg on a throwaway cluster ${pgSkipReason ?? ''}`, () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  const connect = async (url: string): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  };

  it('applies every migration once, even when two workstations start at once', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [await connect(url), await connect(url)];
    try {
      const versions = await Promise.all([migratePg(a), migratePg(b)]);
      const latest = migrations.at(-1)!.version;
      expect(versions).toEqual([latest, latest]);
      const rows = (await a.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version'))
        .rows;
      expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
      // Tables of the first and the last migrations exist.
      const tables = (
        await a.query<{ t: string }>(
          `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'`,
        )
      ).rows.map((r) => r.t);
      expect(tables).toEqual(
        expect.arrayContaining(['images', 'history', 'notes', 'image_flags', 'label_versions']),
      );
      expect(await migratePg(a)).toBe(latest);
    } finally {
      await a.end();
      await b.end();
    }
  }, 60_000);

  it('history is append-only and note search uses tsvector', async () => {
    const client = await connect(await cluster.createDatabase());
    try {
      await migratePg(client);
      await client.query(`INSERT INTO datasets (name, created_at) VALUES ('d', 'now')`);
      await client.query(
        `INSERT INTO images (dataset_id, sha256, file, original_path, format, source_format, width, height, bytes, imported_at)
         VALUES (1, repeat('a', 64), 'a.png', 'a.png', 'png', 'png', 2, 2, 10, 'now')`,
      );
      await client.query(
        `INSERT INTO history (batch_id, image_id, kind, "user", origin, at) VALUES (1, 1, 'flag', 'u', 'edit', 'now')`,
      );
      await expect(client.query('DELETE FROM history')).rejects.toThrow(/append-only/);
      await expect(client.query(`UPDATE history SET "user" = 'x'`)).rejects.toThrow(/append-only/);
      await client.query(
        `INSERT INTO notes (image_id, text, updated_at, updated_by) VALUES (1, 'Cephalic presentation, BPD normal', 'now', 'u')`,
      );
      const hit = await client.query(
        `SELECT image_id FROM notes WHERE tsv @@ to_tsquery('simple', 'cephal:*')`,
      );
      expect(hit.rows.map((r) => Number(r.image_id))).toEqual([1]);
    } finally {
      await client.end();
    }
  }, 60_000);

  it("opens a migrated catalog as a labeler's role that may not create tables", async () => {
    const name = `labeler_${Date.now()}`;
    const url = await cluster.createDatabase(name);
    const admin = await connect(url);
    try {
      await migratePg(admin);
      await admin.query(`CREATE ROLE ann LOGIN PASSWORD 'pw'`);
      await admin.query('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ann');
    } finally {
      await admin.end();
    }
    const ann = await connect(cluster.url(name, 'ann', 'pw'));
    try {
      await expect(ann.query('CREATE TABLE t (x int)')).rejects.toThrow(/permission denied/);
      expect(await migratePg(ann)).toBe(migrations.at(-1)!.version);
    } finally {
      await ann.end();
    }
  }, 60_000);

  it('refuses a catalog written by a newer SonoFuse', async () => {
    const client = await connect(await cluster.createDatabase());
    try {
      await migratePg(client);
      await client.query(`INSERT INTO schema_version (version, name) VALUES (9999, 'future')`);
      await expect(migratePg(client)).rejects.toThrow(/newer than this SonoFuse understands/);
    } finally {
      await client.end();
    }
  }, 60_000);
});
