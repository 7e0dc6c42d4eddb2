import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { PlatformPackager } from 'app-builder-lib';
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

  it('flips those wires in a binary the way electron-builder does after packing', async () => {
    // A stand-in for the Electron binary: the fuse sentinel, wire version 1, 8 fuses, Electron's
    // defaults (RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest off).
    const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
    const binary = join(mkdtempSync(join(tmpdir(), 'sonofuse-fuses-')), 'sonofuse');
    writeFileSync(
      binary,
      Buffer.concat([
        Buffer.from('\x7fELF…'),
        Buffer.from(SENTINEL),
        Buffer.from([1, 8]),
        Buffer.from('10110001'),
      ]),
    );
    const packager = PlatformPackager.prototype as unknown as {
      generateFuseConfig(fuses: unknown): Promise<Parameters<typeof flipFuses>[1]>;
    };
    await flipFuses(binary, await packager.generateFuseConfig.call({}, config.electronFuses));
    const wire = await getCurrentFuseWire(binary);
    const on = (fuse: FuseV1Options): boolean => wire[fuse] === 49; // '1' enabled, '0' disabled
    expect({
      runAsNode: on(FuseV1Options.RunAsNode),
      nodeOptions: on(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      inspect: on(FuseV1Options.EnableNodeCliInspectArguments),
      cookieEncryption: on(FuseV1Options.EnableCookieEncryption),
      asarIntegrity: on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      onlyAsar: on(FuseV1Options.OnlyLoadAppFromAsar),
      fileProtocol: on(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({
      runAsNode: false,
      nodeOptions: false,
      inspect: false,
      cookieEncryption: true,
      asarIntegrity: true,
      onlyAsar: true,
      fileProtocol: false,
    });
  });
});
