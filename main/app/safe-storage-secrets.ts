import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { createFileSecretStore, type SecretStore } from '../catalog/pseudonym-keys';

/** The part of Electron's safeStorage this adapter uses (a parameter so tests can pass a fake). */
export type SafeStorageLike = Pick<
  typeof safeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString'
> & { getSelectedStorageBackend?: () => string };

/** True when safeStorage really encrypts with an OS keystore (Linux without a keyring falls back to a fixed key). */
export const keystoreAvailable = (storage: SafeStorageLike): boolean =>
  storage.isEncryptionAvailable() &&
  (process.platform !== 'linux' || storage.getSelectedStorageBackend?.() !== 'basic_text');

/**
 * The desktop app's secret store: each secret encrypted with the OS keystore through Electron's
 * safeStorage (Keychain, DPAPI, libsecret/kwallet) and written as a 0600 `.key.enc` file in a 0700
 * folder outside the catalog. A copied file is useless without the user's OS login. Where no
 * keystore is available it is the plain 0600 key file store. A plain key file left by the CLI is
 * read once, re-written encrypted and removed. Decides on first use (safeStorage needs app ready).
 */
export const createSafeStorageSecrets = (dir: string, keystore?: SafeStorageLike): SecretStore => {
  const plain = createFileSecretStore(dir);
  let chosen: SecretStore | null = null;
  const pick = (): SecretStore => {
    if (chosen) return chosen;
    const storage = keystore ?? safeStorage;
    if (!keystoreAvailable(storage)) return (chosen = plain);
    const encrypted = createFileSecretStore(dir, {
      suffix: '.key.enc',
      encode: (secret) => storage.encryptString(secret),
      decode: (bytes) => storage.decryptString(bytes),
    });
    chosen = {
      where: dir,
      read(name) {
        const found = encrypted.read(name);
        if (found !== null) return found;
        const left = plain.read(name);
        if (left === null) return null;
        encrypted.write(name, left);
        rmSync(join(dir, `${name}.key`), { force: true });
        return left;
      },
      write: (name, secret) => encrypted.write(name, secret),
      create: (name, secret) => encrypted.create(name, secret),
    };
    return chosen;
  };
  return {
    where: dir,
    read: (name) => pick().read(name),
    write: (name, secret) => pick().write(name, secret),
    create: (name, secret) => pick().create(name, secret),
  };
};
