import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves an untrusted relative path (from a URL) inside `root`, or returns null. Rejects absolute
 * paths, `..` escapes, NUL bytes, encoded separators and symlinks that lead outside the root.
 */
export const resolveInside = (root: string, untrusted: string): string | null => {
  if (untrusted.includes('\0') || untrusted.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(untrusted);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || isAbsolute(decoded)) return null;
  const base = resolve(root);
  const candidate = resolve(base, `.${sep}${decoded}`);
  const rel = relative(base, candidate);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  try {
    const real = realpathSync(candidate);
    const realRel = relative(realpathSync(base), real);
    if (realRel.startsWith('..') || isAbsolute(realRel)) return null;
    return real;
  } catch {
    return candidate; // Does not exist (yet): the caller answers 404.
  }
};
