import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../../main/contract-server/create-handlers';
import { createDispatcher, type Handlers } from '../../../../main/contract-server/dispatcher';
import { createLogger } from '../../../../main/core/logger';
import { AppError, ResultEnvelope } from '../../../../shared/contract/index';
import { createTestCore } from '../../../support/test-core';

const conflict = {
  imageId: 7,
  task: 'label',
  version: 3,
  labels: ['benign'],
  by: 'A. Rossi',
  at: '2026-12-04T11:58:00.000Z',
};

describe('a stale label write crosses the transport as typed data', () => {
  it('CONFLICT carries the current labels, who and when; the wire envelope keeps them', async () => {
    const handlers: Handlers = {
      ...createHandlers(createTestCore().services),
      'catalog:setLabels': () => {
        throw new AppError('CONFLICT', 'image 7 was labelled by A. Rossi since you saw it', [conflict]);
      },
    };
    const dispatcher = createDispatcher(handlers, createLogger({ minLevel: 'debug' }));
    const result = await dispatcher.dispatch(
      'catalog:setLabels',
      { imageId: 7, task: 'label', labels: ['malignant'], user: 'ben', baseVersion: 2 },
      { transport: 'test', peer: 't1' },
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'image 7 was labelled by A. Rossi since you saw it',
        conflicts: [conflict],
      },
    });
    // What a transport parses on the other side (zod objects drop unknown keys: conflicts is in the schema).
    expect(ResultEnvelope.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  });
});
