import { describe, expect, it } from 'vitest';
import {
  createAssistantHandlers,
  type AssistantPort,
} from '../../../../main/contract-server/assistant-handlers';
import { createHandlers } from '../../../../main/contract-server/create-handlers';
import { createServices } from '../../../../main/contract-server/create-services';
import { createDispatcher, type Handlers } from '../../../../main/contract-server/dispatcher';
import { createLogger } from '../../../../main/core/logger';
import type { AssistantStatus } from '../../../../shared/contract/index';

const ctx = { transport: 'test', peer: 't' } as const;
const status: AssistantStatus = {
  datasetId: 3,
  task: 'label',
  state: 'ready',
  labeled: 12,
  featuresDone: 40,
  featuresTotal: 40,
  model: { id: 'm7', source: 'features', trainedAt: '2026-12-04T16:00:00.000Z', trainedOn: 12 },
  lastRetrainMs: 85,
};

describe('assistant:* handlers', () => {
  it('pass the parsed inputs to the assistant and its answers back, validated by the contract', async () => {
    const seen: unknown[] = [];
    const port: AssistantPort = {
      status: (i) => (seen.push(['status', i]), status),
      suggestions: async (i) => (
        seen.push(['suggestions', i]),
        [{ imageId: 5, label: 'head', p: 0.9, probs: { head: 0.9 }, modelId: 'm7' }]
      ),
      queue: (i) => (seen.push(['queue', i]), [9, 4]),
      useModel: (i) => (
        seen.push(['useModel', i]),
        { ...status, model: { ...status.model!, source: i.source } }
      ),
      simulation: (i) => (seen.push(['simulation', i]), null),
    };
    const handlers = { ...createAssistantHandlers(() => port) } as Partial<Handlers> as Handlers;
    const dispatch = createDispatcher(handlers, createLogger({ minLevel: 'error' })).dispatch;
    expect(await dispatch('assistant:status', { datasetId: 3, task: 'label' }, ctx)).toEqual({
      ok: true,
      value: status,
    });
    // The queue's default limit is applied before the assistant sees the call.
    expect(
      await dispatch('assistant:queue', { datasetId: 3, task: 'label', mode: 'informative' }, ctx),
    ).toEqual({
      ok: true,
      value: [9, 4],
    });
    expect(seen.at(-1)).toEqual(['queue', { datasetId: 3, task: 'label', mode: 'informative', limit: 100 }]);
    // 'class' without a class is refused by the contract: the assistant is never asked.
    const refused = await dispatch('assistant:queue', { datasetId: 3, task: 'label', mode: 'class' }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(seen).toHaveLength(2);
    expect(
      (await dispatch('assistant:suggestions', { datasetId: 3, task: 'label', imageIds: [5] }, ctx)).ok,
    ).toBe(true);
    expect(
      await dispatch('assistant:useModel', { datasetId: 3, task: 'label', source: 'run' }, ctx),
    ).toMatchObject({
      ok: true,
      value: { model: { source: 'run' } },
    });
    expect(await dispatch('assistant:simulation', { datasetId: 3, task: 'label' }, ctx)).toEqual({
      ok: true,
      value: null,
    });
  });

  it('are part of the app handlers, served by the assistant service: an unknown dataset is a typed NOT_FOUND', async () => {
    const services = createServices({
      shell: 'cli',
      catalogDbPath: ':memory:',
      logger: createLogger({ minLevel: 'error' }),
    });
    try {
      const dispatch = createDispatcher(createHandlers(services), services.logger).dispatch;
      const answer = await dispatch('assistant:status', { datasetId: 1, task: 'label' }, ctx);
      expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      await services.dispose();
    }
  });
});
