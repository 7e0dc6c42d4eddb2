import { createHmac, randomBytes } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../shared/contract/result';
import type { CatalogDb } from './catalog-db';

/**
 * Where secrets live, outside the catalog database and its backups. The default is a folder of
 * 0600 files (0700 folder); the desktop app plugs in a codec that encrypts them with the OS
 * keystore (Electron safeStorage, main/app/safe-storage-secrets.ts).
 */
export interface SecretStore {
  /** Where the secrets are, for messages (a folder; never a secret). */
  readonly where: string;
  read(name: string): string | null;
  write(name: string, secret: string): void;
  /**
   * Stores `secret` under `name` only if nothing is there yet, atomically, and returns what is
   * stored then: two processes creating a key at once end up with the same one.
   */
  create(name: string, secret: string): string;
}

/** How a secret is turned into file bytes and back (plain text by default). */
export interface SecretCodec {
  suffix: string;
  encode(secret: string): Buffer;
  decode(bytes: Buffer): string;
}

const plain: SecretCodec = {
  suffix: '.key',
  encode: (secret) => Buffer.from(secret, 'utf8'),
  decode: (bytes) => bytes.toString('utf8').trim(),
};

/**
 * The key folder of a catalog: `$SONOFUSE_KEY_DIR`, else `<catalog folder>.keys` beside the
 * catalog's folder, so copying or backing up the workspace folder (database and store) never
 * copies the key.
 */
export const keyDirFor = (dbPath: string, env: NodeJS.ProcessEnv = process.env): string =>
  env.SONOFUSE_KEY_DIR ?? `${dirname(dbPath)}.keys`;

/**
 * Secrets as files in `dir`: the folder is created 0700 and each file written 0600 (a temporary
 * file created exclusively with that mode, then renamed), whatever the process umask. Anything but
 * a regular file under a secret's name is refused.
 */
export const createFileSecretStore = (dir: string, codec: SecretCodec = plain): SecretStore => {
  const pathOf = (name: string): string => join(dir, `${name}${codec.suffix}`);
  /** Writes a 0600 temporary file in the 0700 folder, then `commit`s it to the secret's path. */
  const place = (name: string, secret: string, commit: (temporary: string, target: string) => void): void => {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new AppError('UNAVAILABLE', `the key folder ${dir} cannot be made (${code ?? 'error'})`);
    }
    const temporary = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(temporary, codec.encode(secret), { mode: 0o600, flag: 'wx' });
      chmodSync(temporary, 0o600);
      commit(temporary, pathOf(name));
    } finally {
      rmSync(temporary, { force: true });
    }
  };
  const store: SecretStore = {
    where: dir,
    read(name) {
      const path = pathOf(name);
      let info;
      try {
        info = lstatSync(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return null;
        throw new AppError('UNAVAILABLE', `the key folder ${dir} cannot be read (${code ?? 'error'})`);
      }
      if (!info.isFile()) throw new AppError('CONFLICT', `${path} is not a regular file`);
      if ((info.mode & 0o077) !== 0) chmodSync(path, 0o600);
      return codec.decode(readFileSync(path));
    },
    write(name, secret) {
      place(name, secret, (temporary, target) => renameSync(temporary, target));
    },
    create(name, secret) {
      try {
        // link() fails when the target exists: the first writer's secret stays.
        place(name, secret, (temporary, target) => linkSync(temporary, target));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const stored = store.read(name);
      if (stored === null) throw new AppError('CONFLICT', `${pathOf(name)} vanished while it was created`);
      return stored;
    },
  };
  return store;
};

/** Secrets in memory only: for an in-memory catalog (tests, previews), whose pseudonyms die with it. */
export const createMemorySecretStore = (): SecretStore => {
  const held = new Map<string, string>();
  return {
    where: 'memory',
    read: (name) => held.get(name) ?? null,
    write: (name, secret) => void held.set(name, secret),
    create: (name, secret) => {
      if (!held.has(name)) held.set(name, secret);
      return held.get(name)!;
    },
  };
};

/** The default store of a catalog: key files in {@link keyDirFor}, or memory for an in-memory database. */
export const defaultSecretStore = (dbPath: string): SecretStore =>
  dbPath === ':memory:' || dbPath === ''
    ? createMemorySecretStore()
    : createFileSecretStore(keyDirFor(dbPath));

/** Hex digits of a pseudonym: 128 bits of HMAC-SHA-256 (older catalogs used 12, i.e. 48 bits). */
export const PSEUDONYM_HEX = 32;
const LEGACY_HEX = 12;

const setting = (cdb: CatalogDb, key: string): string | null =>
  cdb.get<{ value: string }>('settings.get', 'SELECT value FROM settings WHERE key = ?', key)?.value ?? null;
const putSetting = (cdb: CatalogDb, key: string, value: string): void => {
  cdb.run(
    'settings.put',
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    key,
    value,
  );
};

/** A fingerprint of the key (HMAC of a fixed label): tells a wrong or missing key file apart. */
const checkOf = (key: string): string => createHmac('sha256', key).update('sonofuse-key-check').digest('hex');

/**
 * Keyed pseudonyms for one catalog (patient, exam and series ids), with the HMAC key kept in a
 * {@link SecretStore} and only a non-secret catalog id and key fingerprint in the database.
 *
 * A catalog made before this kept its key in `settings.pseudonym_key`: {@link migrate} moves it to
 * the store (the new key file is seeded with the old key, so every pseudonym keeps its meaning),
 * deletes it from the database with `secure_delete` and truncates the WAL so no copy of the
 * database or of a later backup carries it. Its 48-bit ids stay as they are; {@link legacyOf}
 * lets the importer reuse them for the same patient.
 */
export const createPseudonyms = (cdb: CatalogDb, store: SecretStore) => {
  let cached: string | null = null;
  const nameOf = (): string => {
    let id = setting(cdb, 'catalog_id');
    if (id === null) {
      id = randomBytes(16).toString('hex');
      cdb.run(
        'settings.insertId',
        'INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)',
        'catalog_id',
        id,
      );
      id = setting(cdb, 'catalog_id')!;
    }
    return `pseudonym-${id}`;
  };
  const pseudonyms = {
    /** Moves a key still in the database out to the store. Returns true when it did. */
    migrate(): boolean {
      const legacy = setting(cdb, 'pseudonym_key');
      if (legacy === null) return false;
      const name = nameOf();
      const stored = store.read(name);
      if (stored !== null && stored !== legacy) {
        throw new AppError(
          'CONFLICT',
          `the pseudonym key in ${store.where} differs from the one this catalog was made with; move it away and reopen`,
        );
      }
      if (stored === null) store.write(name, legacy);
      cdb.db.pragma('secure_delete = ON');
      cdb.transaction(() => {
        cdb.run('settings.delete', 'DELETE FROM settings WHERE key = ?', 'pseudonym_key');
        putSetting(cdb, 'pseudonym_key_check', checkOf(legacy));
        putSetting(cdb, 'pseudonym_legacy_ids', '1');
      });
      if (cdb.path !== ':memory:') cdb.db.pragma('wal_checkpoint(TRUNCATE)');
      cached = legacy;
      return true;
    },
    /** The key, created in the store on first use; refuses a missing or foreign key for a catalog that has one. */
    key(): string {
      if (cached !== null) return cached;
      pseudonyms.migrate();
      if (cached !== null) return cached;
      const name = nameOf();
      const check = setting(cdb, 'pseudonym_key_check');
      let key = store.read(name);
      if (key === null) {
        if (check !== null) {
          throw new AppError(
            'UNAVAILABLE',
            `this catalog's pseudonym key is not in ${store.where}; restore it from where it was kept, or import without pseudonyms`,
          );
        }
        key = store.create(name, randomBytes(32).toString('hex'));
        putSetting(cdb, 'pseudonym_key_check', checkOf(key));
      } else if (check !== null && check !== checkOf(key)) {
        throw new AppError('CONFLICT', `the pseudonym key in ${store.where} is not this catalog's`);
      }
      cached = key;
      return key;
    },
    /** `<prefix>-<32 hex>`: HMAC-SHA-256 of the value under the catalog's key, 128 bits. */
    pseudonym(prefix: string, value: string): string {
      const digest = createHmac('sha256', pseudonyms.key()).update(value).digest('hex');
      return `${prefix}-${digest.slice(0, PSEUDONYM_HEX)}`;
    },
    /** The 48-bit id an older SonoFuse gave the same value (same key), or null when the catalog has none. */
    legacyOf(pseudonym: string): string | null {
      if (setting(cdb, 'pseudonym_legacy_ids') !== '1') return null;
      const dash = pseudonym.indexOf('-');
      return pseudonym.slice(0, dash + 1 + LEGACY_HEX);
    },
  };
  return pseudonyms;
};

export type Pseudonyms = ReturnType<typeof createPseudonyms>;
