import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract/index';
import { createHandlers } from '../../../../main/contract-server/create-handlers';
import { createDispatcher, type Handlers } from '../../../../main/contract-server/dispatcher';
import { createLogger } from '../../../../main/core/logger';
import { createTestCore } from '../../../support/test-core';

const ctx = { transport: 'test' as const, peer: 't1' };

/** The real handler table with app:info replaced, so new channels need no change here. */
const withInfo = (info: Handlers['app:info']) => {
  const logger = createLogger({ minLevel: 'debug' });
  const handlers: Handlers = { ...createHandlers(createTestCore().services), 'app:info': info };
  return { logger, dispatcher: createDispatcher(handlers, logger) };
};

describe('dispatcher', () => {
  it('answers a valid call with ok:true and the parsed output', async () => {
    const core = createTestCore();
    const result = await core.dispatcher.dispatch('app:info', {}, ctx);
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.value as { version: string }).version).toBe('9.9.9');
  });

  it('applies schema defaults before the handler runs', async () => {
    const core = createTestCore();
    core.services.logger.info('test', 'one');
    const result = await core.dispatcher.dispatch('app:recentLogs', {}, ctx);
    expect(result).toMatchObject({ ok: true, value: [{ source: 'test', message: 'one' }] });
  });

  it.each([
    ['an unknown channel', 'app:nope', {}, 'UNKNOWN_CHANNEL'],
    ['a non-string channel', 42, {}, 'UNKNOWN_CHANNEL'],
    ['an inherited property as channel', 'constructor', {}, 'UNKNOWN_CHANNEL'],
    ['a missing input', 'app:info', undefined, 'INVALID_INPUT'],
    ['an input with extra keys', 'app:info', { x: 1 }, 'INVALID_INPUT'],
    ['a limit out of range', 'app:recentLogs', { limit: 100000 }, 'INVALID_INPUT'],
    ['a limit of the wrong type', 'app:recentLogs', { limit: '5' }, 'INVALID_INPUT'],
  ])('rejects %s with a typed error', async (_what, channel, input, code) => {
    const core = createTestCore();
    const result = await core.dispatcher.dispatch(channel, input, ctx);
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it('maps AppError to its code and message', async () => {
    const { dispatcher } = withInfo(() => {
      throw new AppError('NOT_FOUND', 'no such image');
    });
    expect(await dispatcher.dispatch('app:info', {}, ctx)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such image' },
    });
  });

  it('turns an unexpected throw into INTERNAL without leaking the message, and logs it', async () => {
    const { dispatcher, logger } = withInfo(async () => {
      throw new Error('secret detail');
    });
    const result = await dispatcher.dispatch('app:info', {}, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret detail');
    expect(logger.recent(10).some((e) => e.level === 'error' && e.message.includes('secret detail'))).toBe(
      true,
    );
  });

  it('refuses a handler answer that breaks the output schema', async () => {
    const { dispatcher } = withInfo(() => ({ name: 'Other' }) as never);
    expect(await dispatcher.dispatch('app:info', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_OUTPUT' },
    });
  });

  it('answers channels that are not strings without touching them (no String() on a null-prototype object)', async () => {
    const core = createTestCore();
    for (const channel of [Object.create(null), Symbol('x'), 42, null, { toString: () => 'app:info' }]) {
      const result = await core.dispatcher.dispatch(channel, {}, ctx);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });
});
