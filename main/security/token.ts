import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh 256-bit token, hex encoded: one per launch of the host. */
export const createToken = (): string => randomBytes(32).toString('hex');

/** Constant-time comparison so the token cannot be guessed byte by byte. */
export const tokensEqual = (expected: string, presented: unknown): boolean => {
  if (typeof presented !== 'string' || presented.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(presented));
};
