import type { LogEntry, LogLevel } from '../../shared/contract/index';

/**
 * A small structured logger. Entries go to a bounded in-memory ring (for `app:recentLogs`), to
 * subscribers (the `app:onLog` event) and optionally to a writer (stderr in the CLI and host).
 * Services must log ids and counts, never patient names, notes or file paths of patient data;
 * {@link redact} strips the common accidents (absolute paths, e-mail addresses, long digit runs).
 */
export interface Logger {
  debug(source: string, message: string): void;
  info(source: string, message: string): void;
  warn(source: string, message: string): void;
  error(source: string, message: string): void;
  recent(limit: number): LogEntry[];
  subscribe(listener: (entry: LogEntry) => void): () => void;
}

export interface LoggerOptions {
  capacity?: number;
  minLevel?: LogLevel;
  write?: (line: string) => void;
  now?: () => Date;
}

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export const redact = (message: string): string =>
  message
    .replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, '<email>')
    .replace(
      /(?:[A-Za-z]:)?(?:[\\/][\w .()-]+){2,}[\\/]?[\w .()-]*\.(?:png|jpe?g|dcm|dicom|csv|bmp|tiff?)/gi,
      '<path>',
    )
    .replace(/\b\d{6,}\b/g, '<number>')
    .slice(0, 2000);

export const createLogger = (options: LoggerOptions = {}): Logger => {
  const capacity = options.capacity ?? 500;
  const minLevel = options.minLevel ?? 'info';
  const now = options.now ?? (() => new Date());
  const ring: LogEntry[] = [];
  const listeners = new Set<(entry: LogEntry) => void>();

  const log = (level: LogLevel, source: string, message: string): void => {
    if (rank[level] < rank[minLevel]) return;
    const entry: LogEntry = {
      time: now().toISOString(),
      level,
      source: source.slice(0, 64),
      message: redact(message),
    };
    ring.push(entry);
    if (ring.length > capacity) ring.shift();
    options.write?.(`${entry.time} ${level.toUpperCase().padEnd(5)} [${entry.source}] ${entry.message}`);
    for (const listener of [...listeners]) listener(entry);
  };

  return {
    debug: (s, m) => log('debug', s, m),
    info: (s, m) => log('info', s, m),
    warn: (s, m) => log('warn', s, m),
    error: (s, m) => log('error', s, m),
    recent: (limit) => ring.slice(-limit),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};
