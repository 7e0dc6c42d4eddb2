import { describe, expect, it, vi } from 'vitest';
import { createLogger, redact } from '../../../../main/services/logger';

describe('logger', () => {
  it('keeps a bounded ring, filters by level and notifies subscribers', () => {
    const write = vi.fn();
    const logger = createLogger({
      capacity: 3,
      minLevel: 'info',
      write,
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    const seen = vi.fn();
    logger.subscribe(seen);
    logger.debug('s', 'hidden');
    for (const n of [1, 2, 3, 4]) logger.info('s', `m${n}`);
    expect(logger.recent(10).map((e) => e.message)).toEqual(['m2', 'm3', 'm4']);
    expect(logger.recent(1)).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', source: 's', message: 'm4' },
    ]);
    expect(seen).toHaveBeenCalledTimes(4);
    expect(write).toHaveBeenCalledWith('2026-01-02T03:04:05.000Z INFO  [s] m1');
  });

  it('redacts e-mail addresses, patient file paths and long identifiers', () => {
    expect(redact('user jane.doe@hospital.org opened /data/patients/Doe_Jane/scan_01.dcm id 12345678')).toBe(
      'user <email> opened <path> id <number>',
    );
    expect(redact('imported 780 images in 12 s')).toBe('imported 780 images in 12 s');
  });
});
