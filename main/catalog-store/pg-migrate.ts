import type pg from 'pg';
import { migrations as allMigrations, type Migration } from '../catalog/migrations/index';

/** Any fixed 64-bit key: every SonoFuse workstation migrating one database takes the same lock. */
const MIGRATE_LOCK = 0x50_6e_6f_46_75_73_65n; // "SonoFuse"

/**
 * Applies to a PostgreSQL catalog every migration's `postgres` DDL newer than its `schema_version`,
 * each in its own transaction, under a session advisory lock so two workstations starting at once
 * do not both migrate (the second waits, then finds nothing to do). Refuses a catalog written by a
 * newer SonoFuse. Returns the version now applied.
 */
export const migratePg = async (
  client: pg.ClientBase,
  list: readonly Migration[] = allMigrations,
): Promise<number> => {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK.toString()]);
  try {
    // Only a missing table is created: a labeler's role (no CREATE on the schema) opens a migrated catalog.
    const exists = (
      await client.query<{ e: boolean }>(`SELECT to_regclass('schema_version') IS NOT NULL AS e`)
    ).rows[0]!.e;
    if (!exists)
      await client.query(
        `CREATE TABLE schema_version (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
    const current = Number(
      (await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version')).rows[0]?.v ??
        0,
    );
    const latest = list.at(-1)?.version ?? 0;
    if (current > latest)
      throw new Error(`catalog schema ${current} is newer than this SonoFuse understands (${latest})`);
    for (const migration of list) {
      if (migration.version <= current) continue;
      if (!migration.postgres) throw new Error(`migration ${migration.version} has no PostgreSQL variant`);
      await client.query('BEGIN');
      try {
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return Math.max(current, ...list.map((m) => m.version));
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK.toString()]);
  }
};
