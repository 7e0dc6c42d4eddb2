import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../catalog/support/catalog-fixtures';

// A fake keystore: "encrypts" by XOR with a per-login byte and a marker, so a test can tell
// ciphertext from the secret and a wrong login from the right one.
const fake = vi.hoisted(() => ({ available: true, backend: 'gnome_libsecret', login: 0x5a }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => fake.available,
    getSelectedStorageBackend: () => fake.backend,
    encryptString: (s: string) =>
      Buffer.concat([Buffer.from('ENC1'), Buffer.from(s).map((b) => b ^ fake.login)]),
    decryptString: (b: Buffer) => {
      if (b.subarray(0, 4).toString() !== 'ENC1') throw new Error('not ciphertext');
      return Buffer.from(b.subarray(4).map((x) => x ^ fake.login)).toString();
    },
  },
}));

const { createSafeStorageSecrets } = await import('../../../../main/app/safe-storage-secrets');
const { createPseudonyms } = await import('../../../../main/catalog/pseudonym-keys');
const { openCatalogDb } = await import('../../../../main/catalog/catalog-db');

describe('pseudonym key in the OS keystore (Electron safeStorage)', () => {
  it('writes the key encrypted, 0600 in a 0700 folder, and reads it back', () => {
    const dir = join(tempDir(), 'default.keys');
    const store = createSafeStorageSecrets(dir);
    const secret = 'c0ffee'.repeat(10);
    store.write('pseudonym-x', secret);
    const file = join(dir, 'pseudonym-x.key.enc');
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 4).toString()).toBe('ENC1');
    expect(bytes.toString('latin1')).not.toContain(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(createSafeStorageSecrets(dir).read('pseudonym-x')).toBe(secret);
  });

  it('serves a catalog its pseudonyms from the keystore, never from the database', () => {
    const root = tempDir();
    const cdb = openCatalogDb({ path: join(root, 'ws', 'catalog.db') });
    const store = createSafeStorageSecrets(join(root, 'ws.keys'));
    const first = createPseudonyms(cdb, store).pseudonym('P', 'MRN-1');
    expect(first).toMatch(/^P-[0-9a-f]{32}$/);
    // A second open (new process) finds the same key through the keystore.
    expect(
      createPseudonyms(cdb, createSafeStorageSecrets(join(root, 'ws.keys'))).pseudonym('P', 'MRN-1'),
    ).toBe(first);
    expect(readdirSync(join(root, 'ws.keys')).filter((f) => !f.startsWith('.'))).toEqual([
      expect.stringMatching(/^pseudonym-[0-9a-f]{32}\.key\.enc$/),
    ]);
    cdb.close();
  });

  it('moves a plain key file left by the CLI into the keystore', () => {
    const dir = join(tempDir(), 'w.keys');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pseudonym-y.key'), 'ab'.repeat(32), { mode: 0o600 });
    expect(createSafeStorageSecrets(dir).read('pseudonym-y')).toBe('ab'.repeat(32));
    expect(existsSync(join(dir, 'pseudonym-y.key'))).toBe(false);
    expect(existsSync(join(dir, 'pseudonym-y.key.enc'))).toBe(true);
  });

  it('falls back to the plain 0600 key file where no keystore encrypts (Linux basic_text)', () => {
    fake.backend = 'basic_text';
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'linux' });
    try {
      const dir = join(tempDir(), 'p.keys');
      createSafeStorageSecrets(dir).write('pseudonym-z', 'k'.repeat(64));
      expect(readFileSync(join(dir, 'pseudonym-z.key'), 'utf8')).toBe('k'.repeat(64));
      expect(statSync(join(dir, 'pseudonym-z.key')).mode & 0o777).toBe(0o600);
    } finally {
      Object.defineProperty(process, 'platform', platform);
      fake.backend = 'gnome_libsecret';
    }
  });
});
