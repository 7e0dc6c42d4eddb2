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

/** Longest message kept in a log entry. */
export const MAX_LOG_MESSAGE = 2000;

/** Redaction looks at this much of a message (twice what is kept, so a path across the cut is still seen). */
const REDACT_WINDOW = 2 * MAX_LOG_MESSAGE;

const IMAGE_EXTENSION = /^(.*\.(?:png|jpe?g|dcm|dicom|csv|bmp|tiff?))/is;

/**
 * One run of path characters starting at a slash (optionally after a drive letter). A single
 * character class with nothing after it: each run is matched once, so the scan is linear.
 */
const PATH_RUN = /(?:[A-Za-z]:)?[\\/][\w .()\\/-]*/g;

/** Within a path run: the longest prefix that is an absolute path of two or more parts ending in an image or CSV name. */
const redactPathRun = (run: string): string => {
  const match = IMAGE_EXTENSION.exec(run);
  if (!match?.[1]) return run;
  const slashes = match[1].replace(/[^\\/]/g, '').length;
  return slashes >= 2 ? `<path>${run.slice(match[1].length)}` : run;
};

/**
 * Strips the common accidents from a log message: e-mail addresses, absolute paths of patient
 * files, long digit runs (MRNs, accession numbers). Cuts first and uses only patterns that match
 * in linear time (every quantified class is anchored at the start of its run), so a hostile
 * message of any length costs O(length) with a small bound.
 */
export const redact = (message: string): string =>
  message
    .slice(0, REDACT_WINDOW)
    .replace(/(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+/g, '<email>')
    .replace(PATH_RUN, redactPathRun)
    .replace(/\b\d{6,}\b/g, '<number>')
    .slice(0, MAX_LOG_MESSAGE);

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
