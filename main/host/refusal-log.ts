import type { Logger } from '../core/logger';

/**
 * Logs refusals (a wrong token, origin or Host) at most once per `intervalMs` per reason, with a
 * count of the ones left out since, so a client hammering the host cannot flood the log, its ring
 * or the `app:onLog` subscribers.
 */
export const createRefusalLog = (
  logger: Logger,
  intervalMs = 10_000,
  now: () => number = Date.now,
): ((reason: string) => void) => {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (reason) => {
    const t = now();
    const seen = last.get(reason);
    if (seen && t - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    const more = seen?.suppressed ? ` (${seen.suppressed} more since the last report)` : '';
    last.set(reason, { at: t, suppressed: 0 });
    logger.warn('host', `refused a WebSocket upgrade: ${reason}${more}`);
  };
};
