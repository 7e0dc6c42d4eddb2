// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../renderer/api-context';
import { DemoOffer } from '../../../renderer/catalog/demo-offer';
import { createFakeApi } from '../fake-api';

afterEach(cleanup);

describe('DemoOffer', () => {
  it('installs the demo through demo:install and reports back', async () => {
    const { api, received } = createFakeApi({
      'demo:install': () => ({
        ok: true,
        value: { datasetId: 1, dataset: 'demo-phantom (synthetic)', images: 160, generated: true },
      }),
    });
    const onInstalled = vi.fn();
    render(
      <ApiProvider value={api}>
        <DemoOffer onInstalled={onInstalled} />
      </ApiProvider>,
    );
    await act(async () => screen.getByRole('button', { name: 'Load the synthetic demo workspace' }).click());
    expect(received).toContainEqual({ channel: 'demo:install', input: {} });
    expect(onInstalled).toHaveBeenCalledTimes(1);
  });

  it('shows a failure as a message with retry', async () => {
    const { api } = createFakeApi({
      'demo:install': () => ({ ok: false, error: { code: 'INTERNAL', message: 'Disk full.' } }),
    });
    render(
      <ApiProvider value={api}>
        <DemoOffer onInstalled={() => {}} />
      </ApiProvider>,
    );
    await act(async () => screen.getByRole('button', { name: 'Load the synthetic demo workspace' }).click());
    expect(screen.getByRole('alert').textContent).toContain('Disk full.');
  });
});
