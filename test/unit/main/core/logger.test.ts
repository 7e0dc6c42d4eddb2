import { describe, expect, it, vi } from 'vitest';
import { createLogger, MAX_LOG_MESSAGE, redact } from '../../../../main/core/logger';

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

  it('redacts Windows paths, keeps relative names and text after a path', () => {
    expect(redact('read C:\\Users\\Doe\\scan.PNG then 3 more')).toBe('read <path> then 3 more');
    expect(redact('file scan.png failed')).toBe('file scan.png failed');
    expect(redact('see /tmp/x.png/other')).toBe('see <path>/other');
    expect(redact('a@b.c and x@y.org')).toBe('<email> and <email>');
  });

  it('cuts hostile messages first and redacts them in linear time (the old patterns took seconds on 8 k characters)', () => {
    // Each of these shapes drove the old nested-quantifier path pattern into heavy backtracking;
    // at 1 MB the old code does not finish within the test timeout.
    const hostile = [
      '/a'.repeat(500_000),
      '/a/' + 'a'.repeat(1_000_000),
      ('/' + 'a'.repeat(999) + ' ').repeat(1000),
      'a.'.repeat(500_000) + '@',
      '1'.repeat(1_000_000),
    ];
    for (const message of hostile) {
      const out = redact(message);
      expect(out.length).toBeLessThanOrEqual(MAX_LOG_MESSAGE);
      expect(out.length).toBeGreaterThan(0);
    }
    // A patient path that starts before the cut and ends after it is still redacted.
    const long = `${'x'.repeat(MAX_LOG_MESSAGE - 10)} /data/Doe_Jane/${'s'.repeat(50)}.dcm`;
    expect(redact(long)).not.toContain('Doe_Jane');
  });
});
