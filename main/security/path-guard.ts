import { realpathSync } from 'node:fs';
import { readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

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

/** Whether `path` is `folder` or below it (both absolute and already resolved). */
export const isWithin = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
};

/**
 * Where a path from a file the user gave (a manifest row) really leads, and whether that is inside
 * `folder`, symlinks resolved on both sides. A path that is outside by its text is judged without
 * touching the file system, a missing file is judged by its deepest existing folder and a dangling
 * link by its target, so the answer for an outside path never depends on whether it exists.
 */
export const locateInFolder = async (
  folder: string,
  untrusted: string,
): Promise<{ inside: boolean; path: string }> => {
  const lexical = resolve(folder, untrusted);
  if (untrusted.includes('\0') || !isWithin(resolve(folder), lexical))
    return { inside: false, path: lexical };
  return locateResolved(await realpath(folder), lexical, 0);
};

/** Links followed by hand through dangling targets before the path counts as outside (a loop). */
const MAX_DANGLING_LINKS = 40;

const locateResolved = async (
  realFolder: string,
  lexical: string,
  links: number,
): Promise<{ inside: boolean; path: string }> => {
  let existing = lexical;
  let tail = '';
  for (;;) {
    try {
      const real = join(await realpath(existing), tail);
      return { inside: isWithin(realFolder, real), path: tail ? lexical : real };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling link is judged by where it points, never by its own folder: otherwise a link
      // to a missing file outside would answer "not found" where an existing one says "outside".
      const target = code === 'ENOENT' ? await readlink(existing).catch(() => null) : null;
      if (target !== null) {
        if (links >= MAX_DANGLING_LINKS) return { inside: false, path: lexical };
        const where = await locateResolved(
          realFolder,
          join(resolve(dirname(existing), target), tail),
          links + 1,
        );
        return { inside: where.inside, path: lexical };
      }
      const parent = dirname(existing);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing)
        return { inside: true, path: lexical };
      tail = join(basename(existing), tail);
      existing = parent;
    }
  }
};
