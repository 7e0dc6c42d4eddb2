import { dirname } from 'node:path';
import type { ImportIssue } from '../../shared/contract/catalog';
import { locateInFolder } from '../security/path-guard';
import type { ImportEntry } from './import-entry';

/** Said for every path outside the imported folder (a manifest's own folder), whether or not it exists. */
export const OUTSIDE_REASON =
  "outside the imported folder (for a manifest: the manifest's folder): not read (allow it with --allow-outside-paths, or the Import screen's option)";

/** The import report's notice when files outside the manifest's folder were allowed. */
export const outsideNotice = (manifest: string, rows: number): string =>
  `Paths outside the manifest's folder were allowed: ${rows} row(s) pointed outside ${dirname(manifest)}.`;

/** The same notice for a folder import whose links led out of the folder. */
export const outsideFolderNotice = (folder: string, links: number): string =>
  `Links outside the imported folder were allowed: ${links} file(s) pointed outside ${folder}.`;

/**
 * Checks an entry against its `confineTo` folder before anything reads it: a path that leads out
 * (`../x.png`, an absolute path, a symlink) is refused with the same reason whether or not it
 * exists, unless `allow` (ImportOptions.allowOutsidePaths) is set; then `onOutside` counts it. The
 * entry that comes back points at the resolved path, so what is read is what was checked.
 */
export const confineEntry = async (
  entry: ImportEntry,
  policy: { allow: boolean; onOutside?: (entry: ImportEntry) => void },
): Promise<{ kind: 'ok'; entry: ImportEntry } | { kind: 'error'; issue: ImportIssue }> => {
  if (entry.confineTo === undefined) return { kind: 'ok', entry };
  const where = await locateInFolder(entry.confineTo, entry.path);
  if (!where.inside) {
    if (!policy.allow)
      return {
        kind: 'error',
        issue: { file: entry.file, line: entry.line, code: 'outside-folder', reason: OUTSIDE_REASON },
      };
    policy.onOutside?.(entry);
  }
  return { kind: 'ok', entry: { ...entry, path: where.path } };
};
