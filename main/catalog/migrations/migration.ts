import type Database from 'better-sqlite3';

/**
 * One numbered schema step. Migrations run in order, each inside its own transaction, and the
 * database's `PRAGMA user_version` records the last one applied. A migration is never edited after
 * it ships: change the schema by adding the next number.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
  /** The same step as PostgreSQL DDL (department mode; run in one transaction by main/catalog-store/pg-migrate.ts). Required: a migration without it fails test/unit/main/catalog/migrations. */
  postgres: string;
}
