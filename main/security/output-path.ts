import { lstatSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { AppError } from '../../shared/contract/result';

/**
 * Checks a path the window asks main to write (report, export, backup): absolute, no NUL byte, one
 * of the expected extensions (so a call can never overwrite a catalog, a model or a dotfile), an
 * existing folder, and not a symbolic link or folder at the target. An existing regular file of
 * the right extension is replaced (the user chose it). Returns the normalised path.
 */
export const checkOutputPath = (path: string, extensions: readonly string[]): string => {
  const refuse = (why: string): never => {
    throw new AppError('INVALID_INPUT', `cannot write there: ${why}`);
  };
  if (path.includes('\0')) refuse('the path contains a NUL byte');
  if (!isAbsolute(path)) refuse('give a full path (e.g. /home/me/report.html)');
  const target = resolve(path);
  const ext = extname(target).toLowerCase();
  if (!extensions.includes(ext)) refuse(`the file name must end in ${extensions.join(' or ')}`);
  try {
    if (!statSync(dirname(target)).isDirectory()) refuse('its folder is not a folder');
  } catch (e) {
    if (e instanceof AppError) throw e;
    refuse('its folder does not exist');
  }
  try {
    const st = lstatSync(target);
    if (st.isSymbolicLink()) refuse('the file is a symbolic link');
    if (!st.isFile()) refuse('something other than a file has that name');
  } catch (e) {
    if (e instanceof AppError) throw e; // ENOENT: a new file, fine
  }
  return target;
};
