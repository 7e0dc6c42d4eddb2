import { randomBytes } from 'node:crypto';

/** How long a launch address opened by the host itself stays valid. */
export const LAUNCH_TTL_MS = 60_000;

export interface LaunchCodes {
  /** A fresh one-time code (128 bits, hex) valid for `ttlMs`. */
  mint(ttlMs?: number): string;
  /** True once for a live code; the code is spent by the attempt whatever its outcome. */
  redeem(code: unknown): boolean;
  /** Codes minted and not yet spent or expired (a test hook; bounded by `max`). */
  live(): number;
}

/**
 * One-time launch codes that stand in for the browser mode's token wherever a URL leaves the
 * process (a browser's command line, the terminal): the page trades one for the token once, after
 * which the code is worthless. At most `max` codes live at a time; minting more drops the oldest.
 */
export const createLaunchCodes = (options: { now?: () => number; max?: number } = {}): LaunchCodes => {
  const now = options.now ?? Date.now;
  const max = options.max ?? 32;
  const codes = new Map<string, number>();
  const sweep = (): void => {
    const t = now();
    for (const [code, expires] of codes) if (expires <= t) codes.delete(code);
  };
  return {
    mint(ttlMs = LAUNCH_TTL_MS) {
      sweep();
      const code = randomBytes(16).toString('hex');
      codes.set(code, now() + ttlMs);
      while (codes.size > max) codes.delete(codes.keys().next().value as string);
      return code;
    },
    redeem(code) {
      if (typeof code !== 'string') return false;
      const expires = codes.get(code);
      if (expires === undefined) return false;
      codes.delete(code);
      return expires > now();
    },
    live() {
      sweep();
      return codes.size;
    },
  };
};
