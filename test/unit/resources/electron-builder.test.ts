import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const configPath = fileURLToPath(new URL('../../../resources/electron-builder.json', import.meta.url));
const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;

describe('the packaging config (resources/electron-builder.json)', () => {
  it('flips the Electron fuses that turn the shipped binary into a Node interpreter or a debug target', () => {
    // electron-builder 26 writes these into the binary with @electron/fuses after packing.
    expect(config.electronFuses).toEqual({
      runAsNode: false, // ELECTRON_RUN_AS_NODE=1 would make SonoFuse a plain `node`
      enableNodeOptionsEnvironmentVariable: false, // NODE_OPTIONS=--require evil.js
      enableNodeCliInspectArguments: false, // --inspect / SIGUSR1 debugger on the main process
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true, // no `resources/app/` folder loaded instead of the validated asar
      grantFileProtocolExtraPrivileges: false, // the app serves its files through app://, never file://
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('packs the app into an asar (OnlyLoadAppFromAsar and integrity need one)', () => {
    expect(config.asar).toBe(true);
    // Trainer and native modules the utilityProcess needs are unpacked, nothing else.
    expect(config.asarUnpack).toEqual(['**/*.node', '**/*.wasm']);
  });

  it("is valid for electron-builder's own schema (a misspelt fuse key would be refused here)", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration(
        { ...config, electronFuses: { runAsNod: false } } as never,
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/electronFuses/);
  });
});
