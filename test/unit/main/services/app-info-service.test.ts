import { describe, expect, it } from 'vitest';
import { createAppCore } from '../../../../main/contract-server/create-app-core';
import { createAppInfoService } from '../../../../main/services/app-info-service';
import { createLogger } from '../../../../main/core/logger';
import { AppInfo } from '../../../../shared/contract/app';
import { fakeProbe } from '../../../support/test-core';

const ctx = { transport: 'test' as const, peer: 't' };

describe('app info', () => {
  it('names the catalog database and workspace the process serves', async () => {
    const core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '1.2.3',
      logger: createLogger(),
      catalogDbPath: '/tmp/sonofuse-info/ward-a/catalog.db',
      workspace: 'ward-a',
    });
    const answer = await core.dispatcher.dispatch('app:info', {}, ctx);
    expect(answer).toMatchObject({
      ok: true,
      value: {
        version: '1.2.3',
        catalogPath: '/tmp/sonofuse-info/ward-a/catalog.db',
        workspace: 'ward-a',
        nativeDialogs: false,
      },
    });
    await core.dispose();
  });

  it('defaults the workspace to "default" and has no catalog where none is given (CLI)', () => {
    const info = createAppInfoService({ version: '0', shell: 'cli', probe: fakeProbe }).info();
    expect(AppInfo.parse(info)).toMatchObject({ catalogPath: null, workspace: null, nativeDialogs: false });
    const core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '0',
      logger: createLogger(),
    });
    expect(core.services.appInfo.info().workspace).toBe('default');
    expect(core.services.appInfo.info().catalogPath).toMatch(/default[\\/]catalog\.db$/);
  });

  it('answers app:chooseFiles with a typed NOT_SUPPORTED outside the desktop shell', async () => {
    const core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '0',
      logger: createLogger(),
    });
    expect(await core.dispatcher.dispatch('app:chooseFiles', { kind: 'csv' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'NOT_SUPPORTED' },
    });
  });

  it('serves app:chooseFiles through the shell-supplied chooser and says so in app:info', async () => {
    const asked: string[] = [];
    const core = createAppCore({
      shell: 'electron',
      probe: fakeProbe,
      version: '0',
      logger: createLogger(),
      catalogDbPath: '/tmp/sonofuse-info/c.db',
      files: {
        native: true,
        choose: async ({ kind }) => {
          asked.push(kind);
          return { paths: ['/data/manifest.csv'], cancelled: false };
        },
      },
    });
    expect(core.services.appInfo.info().nativeDialogs).toBe(true);
    expect(await core.dispatcher.dispatch('app:chooseFiles', { kind: 'csv' }, ctx)).toEqual({
      ok: true,
      value: { paths: ['/data/manifest.csv'], cancelled: false },
    });
    expect(await core.dispatcher.dispatch('app:chooseFiles', { kind: 'zip' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(asked).toEqual(['csv']);
  });
});
