import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { createRepository } from '../../../../main/catalog/catalog-repository';
import { createFileSecretStore, keyDirFor } from '../../../../main/catalog/pseudonym-keys';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';
import { writeDicom } from './support/dicom-writer';

const dicomOf = (patientId: string, value: number): Buffer =>
  writeDicom({ rows: 4, cols: 4, pixels: Buffer.alloc(16, value), patientId, seriesUid: `9.${value}` });

/** Every byte of the database file and its WAL, as latin1 text to search for a key. */
const databaseBytes = (dbPath: string): string =>
  ['', '-wal', '-shm']
    .filter((suffix) => existsSync(dbPath + suffix))
    .map((suffix) => readFileSync(dbPath + suffix).toString('latin1'))
    .join('');

const keyFileOf = (dbPath: string): string => {
  const dir = keyDirFor(dbPath, {});
  const [name] = readdirSync(dir).filter((f) => f.endsWith('.key'));
  return join(dir, name!);
};

let umask = 0;
beforeEach(() => {
  // A usual desktop umask: the modes asserted below are set explicitly, not inherited.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
});

describe('pseudonym key outside the catalog', () => {
  it('keeps the key in a 0600 file in a 0700 folder, never in the database or its backup', async () => {
    const root = tempDir('sonofuse-pkey-');
    writeFile(root, 'a.dcm', dicomOf('MRN-778899', 1));
    const { catalog, dbPath, dir } = freshCatalog();
    await catalog.import(importOptions({ source: root, dataset: 'd' }));
    const keyFile = keyFileOf(dbPath);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(keyDirFor(dbPath, {})).mode & 0o777).toBe(0o700);
    const key = readFileSync(keyFile, 'utf8');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // 128-bit pseudonym: the first 32 hex digits of HMAC-SHA-256(key, patient id).
    const expected = `P-${createHmac('sha256', key).update('MRN-778899').digest('hex').slice(0, 32)}`;
    expect(catalog.image(1).patient).toBe(expected);
    expect(databaseBytes(dbPath)).not.toContain(key);
    const backup = join(dir, 'backup.db');
    await catalog.backup(backup);
    expect(readFileSync(backup).toString('latin1')).not.toContain(key);
    expect(catalog.db().get('t', `SELECT count(*) AS n FROM settings WHERE key = 'pseudonym_key'`)).toEqual({
      n: 0,
    });
    catalog.close();
  });

  it('moves an older catalog key out of the database, keeping what its pseudonyms mean', async () => {
    const { dbPath } = freshCatalog();
    const oldKey = 'ab'.repeat(32);
    const oldId = `P-${createHmac('sha256', oldKey).update('MRN-1').digest('hex').slice(0, 12)}`;
    // A catalog as an older SonoFuse left it: the key in settings, a 48-bit patient group.
    const old = openCatalogDb({ path: dbPath });
    old.run('t', `INSERT INTO settings (key, value) VALUES ('pseudonym_key', ?)`, oldKey);
    old.run('t', `INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'then')`);
    old.run('t', `INSERT INTO groups (dataset_id, kind, key) VALUES (1, 'patient', ?)`, oldId);
    old.close();
    expect(databaseBytes(dbPath)).toContain(oldKey);

    const { catalog } = freshCatalog(join(dbPath, '..'));
    catalog.datasets(); // opening migrates the key
    expect(readFileSync(keyFileOf(dbPath), 'utf8')).toBe(oldKey);
    expect(statSync(keyFileOf(dbPath)).mode & 0o777).toBe(0o600);
    expect(databaseBytes(dbPath)).not.toContain(oldKey);

    const root = tempDir('sonofuse-pkey-');
    writeFile(root, 'same.dcm', dicomOf('MRN-1', 1));
    writeFile(root, 'other.dcm', dicomOf('MRN-2', 2));
    await catalog.import(importOptions({ source: root, dataset: 'd' }));
    const patients = catalog
      .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
      .items.map((i) => [i.file, i.patient]);
    // The same patient joins their existing group; a new patient gets a 128-bit pseudonym.
    expect(patients).toEqual([
      ['other.dcm', `P-${createHmac('sha256', oldKey).update('MRN-2').digest('hex').slice(0, 32)}`],
      ['same.dcm', oldId],
    ]);
    catalog.close();
  });

  it('refuses to pseudonymise with a missing key rather than start a second key', async () => {
    const root = tempDir('sonofuse-pkey-');
    writeFile(root, 'a.dcm', dicomOf('MRN-5', 1));
    const { catalog, dbPath, dir } = freshCatalog();
    await catalog.import(importOptions({ source: root, dataset: 'd' }));
    catalog.close();
    rmSync(keyDirFor(dbPath, {}), { recursive: true });
    const again = freshCatalog(dir).catalog;
    writeFile(root, 'b.dcm', dicomOf('MRN-5', 2));
    await expect(again.import(importOptions({ source: root, dataset: 'd' }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    again.close();
  });

  it('pseudonymises manifest patient ids when asked, with the same key as DICOM ids', async () => {
    const root = tempDir('sonofuse-pkey-');
    writeFile(root, 'a.png', await makeImage(4, 4, 1));
    writeFile(root, 'b.png', await makeImage(4, 4, 2));
    writeFile(root, 'c.dcm', dicomOf('MRN-42', 3));
    writeFile(root, 'manifest.csv', 'file,label,patient_id\na.png,x,MRN-42\nb.png,x,MRN-43\nc.dcm,x,\n');
    const { catalog, dbPath } = freshCatalog();
    await catalog.import(
      importOptions({ source: join(root, 'manifest.csv'), dataset: 'd', pseudonymizePatientIds: true }),
    );
    const key = readFileSync(keyFileOf(dbPath), 'utf8');
    const p = (id: string) => `P-${createHmac('sha256', key).update(id).digest('hex').slice(0, 32)}`;
    const items = catalog.images({
      task: 'label',
      sort: { by: 'file', dir: 'asc' },
      offset: 0,
      limit: 10,
    }).items;
    expect(items.map((i) => [i.file, i.patient])).toEqual([
      ['a.png', p('MRN-42')],
      ['b.png', p('MRN-43')],
      ['c.dcm', p('MRN-42')],
    ]);
    expect(databaseBytes(dbPath)).not.toContain('MRN-4');
    catalog.close();
  });

  it('creates a key once: a second creator (another process) gets the first one', () => {
    const dir = join(tempDir(), 'k.keys');
    expect(createFileSecretStore(dir).create('pseudonym-n', 'first')).toBe('first');
    expect(createFileSecretStore(dir).create('pseudonym-n', 'second')).toBe('first');
    expect(readdirSync(dir)).toEqual(['pseudonym-n.key']);
    expect(statSync(join(dir, 'pseudonym-n.key')).mode & 0o777).toBe(0o600);
  });

  it('keeps an in-memory catalog key in memory (no key folder appears anywhere)', () => {
    const cdb = openCatalogDb({ path: ':memory:' });
    const repo = createRepository(cdb);
    cdb.run('t', `INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')`);
    expect(repo.pseudonymGroupKey(1, 'patient', 'P', 'MRN-9')).toMatch(/^P-[0-9a-f]{32}$/);
    expect(existsSync(join(process.cwd(), '..keys'))).toBe(false);
    expect(existsSync('.keys')).toBe(false);
    cdb.close();
  });

  it('opens a catalog whose key cannot be moved out yet, and refuses to pseudonymise until it can', async () => {
    const { dbPath, dir } = freshCatalog();
    const old = openCatalogDb({ path: dbPath });
    old.run('t', `INSERT INTO settings (key, value) VALUES ('pseudonym_key', ?)`, 'cd'.repeat(32));
    old.close();
    // A file where the key folder should be: the key cannot be written there.
    writeFile(join(dbPath, '..', '..'), `${join(dbPath, '..').split('/').at(-1)}.keys`, 'not a folder');
    const { catalog, logger } = freshCatalog(dir);
    expect(catalog.datasets()).toEqual([]);
    expect(logger.recent(100).map((e) => e.message)).toContainEqual(
      expect.stringContaining('pseudonym key not moved out of the catalog'),
    );
    const root = tempDir('sonofuse-pkey-');
    writeFile(root, 'a.dcm', dicomOf('MRN-7', 1));
    await expect(catalog.import(importOptions({ source: root, dataset: 'd' }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('cannot be'),
    });
    catalog.close();
  });
});
