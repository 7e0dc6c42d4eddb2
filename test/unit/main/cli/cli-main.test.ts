import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppInfo, callChannels } from '../../../../shared/contract/index';
import { runCli } from '../../../../main/cli/cli-main';
import { captureIo } from '../../../support/capture-io';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;

describe('sonofuse CLI', () => {
  it('prints the version', async () => {
    const io = captureIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout).toEqual([version]);
  });

  it('info --json prints one object that satisfies the app:info output schema', async () => {
    const io = captureIo();
    expect(await runCli(['info', '--json'], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const info = AppInfo.parse(JSON.parse(io.stdout[0]!));
    expect(info).toMatchObject({ name: 'SonoFuse', version, shell: 'cli' });
    expect(info.backends.map((b) => b.name)).toEqual([
      'electron',
      'tfjs-node-gpu',
      'webgpu',
      'tfjs-node',
      'wasm',
    ]);
  });

  it('info --db postgres://… shows the shared catalog URL redacted, never its password', async () => {
    const io = captureIo();
    const url = 'postgresql://ann:s3cr3t@db.hospital.local/sonofuse?sslmode=verify-full&password=p2';
    expect(await runCli(['info', '--json', '--db', url], io)).toBe(0);
    expect(AppInfo.parse(JSON.parse(io.stdout[0]!)).catalogPath).toBe(
      'postgresql://ann:***@db.hospital.local/sonofuse?sslmode=verify-full&password=***',
    );
    const text = captureIo();
    expect(await runCli(['info', '--db', url], text)).toBe(0);
    expect(text.stdout).toContain(
      'Catalog: postgresql://ann:***@db.hospital.local/sonofuse?sslmode=verify-full&password=***',
    );
    expect([...io.stdout, ...text.stdout].join('\n')).not.toMatch(/s3cr3t|p2/);
  });

  it('info --json --channels adds the contract surface', async () => {
    const io = captureIo();
    await runCli(['info', '--json', '--channels'], io);
    expect(JSON.parse(io.stdout[0]!).calls).toEqual(callChannels);
  });

  it('exits 2 with usage on an unknown command or option', async () => {
    const unknown = captureIo();
    expect(await runCli(['frobnicate'], unknown)).toBe(2);
    expect(unknown.stderr.join('\n')).toContain('unknown command "frobnicate"');
    const badOption = captureIo();
    expect(await runCli(['info', '--nope'], badOption)).toBe(2);
    expect(badOption.stderr.join('\n')).toContain('Usage: sonofuse info');
    const badPort = captureIo();
    expect(await runCli(['start', '--browser', '--port', 'x'], badPort)).toBe(1);
    expect(badPort.stderr.join('\n')).toContain('--port must be 0-65535');
  });

  it('works as the installed bin straight from the sources (no build step)', () => {
    const run = spawnSync(process.execPath, ['main/cli/bin.mjs', 'info', '--json'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(AppInfo.parse(JSON.parse(run.stdout)).version).toBe(version);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.bin).toEqual({ sonofuse: 'main/cli/bin.mjs' });
  });
});
