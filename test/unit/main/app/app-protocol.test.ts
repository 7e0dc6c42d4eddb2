import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const registered: { schemes?: unknown; handler?: (r: Request) => Promise<Response> } = {};
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (s: unknown) => (registered.schemes = s),
    handle: (_scheme: string, h: (r: Request) => Promise<Response>) => (registered.handler = h),
  },
}));
const { handleAppRequest, registerAppProtocol, registerAppSchemePrivileges } =
  await import('../../../../main/app/app-protocol');

describe('app:// protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-proto-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'data.bin'), 'x');

  it('registers app:// as a secure standard scheme and serves through the handler', async () => {
    registerAppSchemePrivileges();
    expect(registered.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    registerAppProtocol(dir);
    const res = await registered.handler!(new Request('app://renderer/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'/);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });

  it.each([
    'app://renderer/../../etc/passwd',
    'app://renderer/%2e%2e/%2e%2e/etc/passwd',
    'app://renderer/data.bin',
    'app://renderer/missing.js',
    'app://elsewhere/index.html',
  ])('refuses %s with 404', async (url) => {
    expect((await handleAppRequest(dir, new Request(url))).status).toBe(404);
  });
});
