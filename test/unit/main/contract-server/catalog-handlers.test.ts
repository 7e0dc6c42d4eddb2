import { describe, expect, it } from 'vitest';
import { createTestCore } from '../../../support/test-core';
import { makeImage, tempDir, writeFile } from '../catalog/support/catalog-fixtures';

const ctx = { transport: 'test' as const, peer: 't' };

describe('catalog handlers: flags, task edits and per-task image detail', () => {
  it('serves the new calls with typed answers and errors', async () => {
    const root = tempDir('sonofuse-handlers-');
    for (let i = 0; i < 3; i++)
      writeFile(root, `${i === 0 ? 'x' : 'y'}/${i}.png`, await makeImage(5, 5, 300 + i));
    const core = createTestCore();
    const call = (channel: string, input: unknown) => core.dispatcher.dispatch(channel, input, ctx);
    const report = (await call('catalog:import', { source: root, dataset: 'h', thumbnails: false })) as {
      value: { datasetId: number };
    };
    const datasetId = report.value.datasetId;
    const page = (await call('catalog:images', { datasetId })) as { value: { items: Array<{ id: number }> } };
    const id = page.value.items[0]!.id;
    const changes: string[] = [];
    core.events.attach((channel, payload) => {
      if (channel === 'catalog:onChanged') changes.push((payload as { kind: string }).kind);
    });

    expect(
      await call('catalog:setFlag', { imageId: id, flagged: true, user: 'ana', reason: 'odd' }),
    ).toMatchObject({
      ok: true,
      value: { flag: { reason: 'odd', user: 'ana' } },
    });
    expect(await call('catalog:images', { datasetId, flagged: true })).toMatchObject({
      ok: true,
      value: { total: 1, items: [{ id }] },
    });
    expect(await call('catalog:image', { id, task: 'label' })).toMatchObject({
      ok: true,
      value: { id, flag: { reason: 'odd' }, labels: ['x'] },
    });

    const refused = await call('catalog:editTask', {
      datasetId,
      classes: [{ name: 'x' }],
      user: 'ana',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(
      await call('catalog:editTask', { datasetId, classes: [{ name: 'x', colour: 'red' }], user: 'ana' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(
      await call('catalog:editTask', {
        datasetId,
        classes: [{ name: 'x', colour: '#FFAA00' }],
        reassign: { y: 'x' },
        user: 'ana',
        reason: 'one class',
      }),
    ).toMatchObject({ ok: true, value: { classes: [{ name: 'x', parent: null, colour: '#ffaa00' }] } });
    expect(await call('catalog:taskHistory', { datasetId })).toMatchObject({
      ok: true,
      value: [{ reason: 'one class', user: 'ana' }],
    });
    expect(changes).toEqual(['flags', 'tasks']);
    await core.dispose();
  });
});
