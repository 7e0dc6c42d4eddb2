import { describe, expect, it } from 'vitest';
import { createRefusalLog } from '../../../../main/host/refusal-log';
import { createLogger } from '../../../../main/core/logger';

describe('refusal log', () => {
  it('writes one line per reason and interval, then says how many it left out', () => {
    let now = 0;
    const logger = createLogger();
    const refused = createRefusalLog(logger, 10_000, () => now);
    for (let i = 0; i < 1000; i++) refused('UNAUTHORIZED');
    refused('FORBIDDEN_ORIGIN');
    now = 10_000;
    refused('UNAUTHORIZED');
    expect(logger.recent(10).map((e) => e.message)).toEqual([
      'refused a WebSocket upgrade: UNAUTHORIZED',
      'refused a WebSocket upgrade: FORBIDDEN_ORIGIN',
      'refused a WebSocket upgrade: UNAUTHORIZED (999 more since the last report)',
    ]);
  });
});
