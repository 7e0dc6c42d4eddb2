import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const HEADER_BYTES = 64 * 1024;

const firstLine = (path: string): string => {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const n = readSync(fd, buffer, 0, HEADER_BYTES, 0);
    return (
      buffer
        .subarray(0, n)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/, 1)[0] ?? ''
    );
  } finally {
    closeSync(fd);
  }
};

const columns = (header: string): string[] =>
  header.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());

/** A manifest found beside a folder: its path and whether it groups images by patient. */
export interface ManifestBeside {
  path: string;
  patientIds: boolean;
}

/**
 * A CSV manifest (a `.csv` whose header has a `file` column) in the imported folder or in the
 * folder above it: the usual layout is `dataset/manifest.csv` + `dataset/images/`. Importing the
 * folder alone loses what the manifest knows (labels, patient grouping, notes, metadata), so the
 * import says so. Unreadable folders or files are no hint (null).
 */
export const manifestBeside = (folder: string): ManifestBeside | null => {
  for (const dir of [folder, dirname(folder)]) {
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((n) => n.toLowerCase().endsWith('.csv'))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        if (!statSync(path).isFile()) continue;
        const cols = columns(firstLine(path));
        if (cols.includes('file')) return { path, patientIds: cols.includes('patient_id') };
      } catch {
        // unreadable: not a hint
      }
    }
  }
  return null;
};

/** The notice for a manifest found beside an imported folder. */
export const manifestNotice = (found: ManifestBeside): string =>
  `A manifest lies next to this folder (${basename(found.path)}${
    found.patientIds ? ', with patient ids' : ''
  }): import ${found.path} instead to keep its labels${
    found.patientIds ? ', patient grouping (group-aware splits)' : ''
  }, notes and metadata.`;

/** The notice for a folder import whose task ended up with no classes (no sub-folders). */
export const noClassesNotice = (task: string, imported: number): string =>
  `The folder has no sub-folders, so its ${imported.toLocaleString('en')} image${
    imported === 1 ? ' was' : 's were'
  } imported unlabeled and the task "${task}" has no classes yet: add them under Label tasks before labelling.`;

/** The notice for images another dataset already holds. */
export const elsewhereNotice = (images: number, datasets: ReadonlyArray<{ name: string; images: number }>) =>
  `${images.toLocaleString('en')} imported image${images === 1 ? ' is' : 's are'} already in another dataset (same content): ${datasets
    .map((d) => `${d.name} ${d.images.toLocaleString('en')}`)
    .join(', ')}.`;

/** True when `source` is a folder (a manifest or file import gets no folder hints). */
export const isFolder = (source: string): boolean => {
  try {
    return statSync(source).isDirectory();
  } catch {
    return false;
  }
};
