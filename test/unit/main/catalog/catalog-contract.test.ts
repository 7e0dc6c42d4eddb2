import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppCore } from '../../../../main/contract-server/create-app-core';
import { createLogger } from '../../../../main/core/logger';
import { fakeProbe } from '../../../support/test-core';
import { makeImage, tempDir, writeFile } from './support/catalog-fixtures';

describe('catalog over the contract', () => {
  it('imports through catalog:import with progress events, then pages and relabels', async () => {
    const root = tempDir('sonofuse-contract-');
    for (let i = 0; i < 3; i++) writeFile(root, `c${i % 2}/${i}.png`, await makeImage(5, 5, 900 + i));
    const dir = tempDir();
    const core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '0',
      logger: createLogger(),
      catalogDbPath: join(dir, 'c.db'),
    });
    const seen: string[] = [];
    core.events.attach((channel, payload) =>
      seen.push(
        `${channel}:${(payload as { phase?: string; kind?: string }).phase ?? (payload as { kind?: string }).kind}`,
      ),
    );
    const ctx = { transport: 'test' as const, peer: 't' };
    const report = await core.dispatcher.dispatch(
      'catalog:import',
      { source: root, dataset: 'web', jobId: 'job-1' },
      ctx,
    );
    expect(report).toMatchObject({ ok: true, value: { jobId: 'job-1', imported: 3 } });
    expect(seen).toContain('catalog:onImportProgress:done');
    expect(seen).toContain('catalog:onChanged:import');
    expect(seen.some((s) => s.startsWith('jobs:onUpdate'))).toBe(true);
    const page = await core.dispatcher.dispatch('catalog:images', { labels: ['c0'] }, ctx);
    expect(page).toMatchObject({ ok: true, value: { total: 2 } });
    const id = (page as { value: { items: Array<{ id: number }> } }).value.items[0]!.id;
    expect(
      await core.dispatcher.dispatch('catalog:setLabels', { imageId: id, labels: ['c1'], user: 'ana' }, ctx),
    ).toMatchObject({ ok: true, value: { labels: ['c1'] } });
    expect(await core.dispatcher.dispatch('catalog:image', { id: 12345 }, ctx)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no image 12345' },
    });
    expect(
      await core.dispatcher.dispatch('catalog:import', { source: join(root, 'nope'), dataset: 'x' }, ctx),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await core.dispatcher.dispatch('catalog:stats', {}, ctx)).toMatchObject({
      ok: true,
      value: [{ name: 'web', images: 3 }],
    });
    await core.dispose();
  });
});
