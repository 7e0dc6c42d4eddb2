import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temp folder, listening on a Unix
 * socket in that folder only (`listen_addresses=''`), removed on stop. As root the cluster runs as
 * the `postgres` user (initdb refuses root) on a folder it owns. One cluster per test file
 * (beforeAll/afterAll), one fresh database per test ({@link PgCluster.createDatabase}).
 *
 * Authentication: the superuser connects without a password (local trust); every other role
 * needs its password (scram-sha-256), so password handling is tested for real.
 */
export interface PgCluster {
  /** The socket folder (libpq's `host` for a Unix socket). */
  readonly socketDir: string;
  readonly port: number;
  /** The superuser role (`postgres` as root, else the current user). */
  readonly superuser: string;
  /** A `postgresql://` URL for `database` (as `user`/`password` when given, else the superuser). */
  url(database: string, user?: string, password?: string): string;
  /** Creates a fresh, empty database and returns its superuser URL. */
  createDatabase(name?: string): Promise<string>;
  /** Runs SQL as the superuser in `database` (default `postgres`). */
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
    database?: string,
  ): Promise<T[]>;
  stop(): void;
}

/** The newest installed PostgreSQL's bin folder, or null when PostgreSQL is not installed. */
export const pgBinDir = (): string | null => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
};

/** Why pg tests are skipped, or null when they run (only a missing /usr/lib/postgresql skips). */
export const pgSkipReason: string | null = pgBinDir()
  ? null
  : 'PostgreSQL is not installed (/usr/lib/postgresql missing; apt-get install -y postgresql, as .ci/run does)';

const isRoot = (): boolean => process.getuid?.() === 0;

let counter = 0;

/** Starts a cluster (a second or two). Throws with pg_ctl's output when it cannot start. */
export const startPgCluster = async (): Promise<PgCluster> => {
  const bin = pgBinDir();
  if (!bin) throw new Error(pgSkipReason ?? 'no PostgreSQL');
  const root = isRoot();
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-pg-'));
  const dataDir = join(dir, 'data');
  const superuser = root ? 'postgres' : userInfo().username;
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const exec = (tool: string, args: string[]): void => {
    const argv = root ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const r = spawnSync(root ? 'runuser' : join(bin, tool), argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  exec('initdb', ['-D', dataDir, '-U', superuser, '--auth-local=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  // Superuser by trust; everyone else by password.
  writeFileSync(join(dataDir, 'pg_hba.conf'), `local all ${superuser} trust\nlocal all all scram-sha-256\n`);
  const port = 5432;
  exec('pg_ctl', [
    '-D',
    dataDir,
    '-w',
    '-l',
    join(dir, 'server.log'),
    '-o',
    `-c listen_addresses='' -k ${dir} -p ${port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  const url = (database: string, user = superuser, password?: string): string =>
    `postgresql://${encodeURIComponent(user)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@/${encodeURIComponent(database)}?host=${encodeURIComponent(dir)}&port=${port}`;
  const sql = async <T extends pg.QueryResultRow>(
    text: string,
    params: unknown[] = [],
    database = 'postgres',
  ): Promise<T[]> => {
    const client = new pg.Client({ host: dir, port, user: superuser, database });
    await client.connect();
    try {
      return (await client.query<T>(text, params)).rows;
    } finally {
      await client.end();
    }
  };
  let stopped = false;
  return {
    socketDir: dir,
    port,
    superuser,
    url,
    sql,
    async createDatabase(name = `t${process.pid}_${++counter}`) {
      await sql(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      return url(name);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
};
