import pg from 'pg';
import { AppError } from '../../shared/contract/result';
import type { Logger } from '../core/logger';
import { redactSecrets } from './workspace-location';

/** Runs one parameterised statement and returns its rows. */
export type PgQuery = <T extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params?: unknown[],
) => Promise<T[]>;

export interface PgPool {
  query: PgQuery;
  /** Runs `fn` in one transaction on one connection: all of its writes land, or none do. */
  transaction<T>(fn: (query: PgQuery) => Promise<T>): Promise<T>;
  /** A dedicated connection (LISTEN, migrations); the caller releases it. */
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

// BIGINT ids and counts come back as numbers (catalog ids stay far below 2^53).
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A pool over a `postgres://` URL. libpq's conventions hold (pg takes PG* env vars, ~/.pgpass,
 * `sslmode`/`sslrootcert` in the URL). A failure is rethrown as an AppError whose message has every
 * secret of the URL redacted; statements slower than `slowQueryMs` are logged without their SQL or
 * parameters (which may hold note text).
 */
export const createPgPool = (
  url: string,
  options: { logger?: Logger; slowQueryMs?: number; max?: number } = {},
): PgPool => {
  const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 4 });
  const secretFree = (error: unknown): AppError => {
    if (error instanceof AppError) return error;
    const message = redactSecrets(error instanceof Error ? error.message : String(error), url);
    const code = (error as { code?: string }).code;
    // Class 23 (integrity) and 22 (data) are the caller's input; connection trouble is UNAVAILABLE.
    if (code?.startsWith('23') || code?.startsWith('22')) return new AppError('INVALID_INPUT', message);
    // 42501: the database refused the role (a grant, or a reviewer-only write: migration 0016).
    if (code === '42501') return new AppError('FORBIDDEN', message);
    if (code?.startsWith('28') || code?.startsWith('08') || code === 'ECONNREFUSED' || code === 'ENOENT')
      return new AppError('UNAVAILABLE', `catalog database: ${message}`);
    return new AppError('INTERNAL', message);
  };
  pool.on('error', (error) =>
    options.logger?.warn('catalog', `database connection: ${secretFree(error).message}`),
  );
  const slowMs = options.slowQueryMs ?? 200;
  const run =
    (client: pg.Pool | pg.PoolClient): PgQuery =>
    async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
      const started = performance.now();
      try {
        return (await client.query<T>(sql, params)).rows;
      } catch (error) {
        throw secretFree(error);
      } finally {
        const ms = performance.now() - started;
        if (ms >= slowMs) options.logger?.warn('catalog', `slow query (postgres): ${ms.toFixed(1)} ms`);
      }
    };
  return {
    query: run(pool),
    async transaction<T>(fn: (query: PgQuery) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw secretFree(error);
      }
      try {
        await client.query('BEGIN');
        const result = await fn(run(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw secretFree(error);
      } finally {
        client.release();
      }
    },
    async connect() {
      try {
        return await pool.connect();
      } catch (error) {
        throw secretFree(error);
      }
    },
    end: () => pool.end(),
  };
};
