import { homedir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';

/** The user's SonoFuse data folder: `$SONOFUSE_DATA_DIR`, else `~/.local/share/sonofuse`. Never the repository. */
export const dataDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.SONOFUSE_DATA_DIR ?? join(homedir(), '.local', 'share', 'sonofuse');

/** The catalog database of a workspace: `<data folder>/<workspace>/catalog.db`. */
export const defaultCatalogPath = (workspace = 'default', env: NodeJS.ProcessEnv = process.env): string =>
  join(dataDir(env), workspace, 'catalog.db');

/** The managed store beside a database: `catalog.db` → `catalog-store/`. */
export const storeDirFor = (dbPath: string): string =>
  join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}-store`);
