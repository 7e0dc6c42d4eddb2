import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { ImportEntry, ImportPlan } from './import-entry';

const walk = (dir: string, out: string[]): void => {
  for (const dirent of readdirSync(dir, { withFileTypes: true })) {
    if (dirent.name.startsWith('.')) continue;
    const full = join(dir, dirent.name);
    if (dirent.isDirectory()) walk(full, out);
    else if (dirent.isFile() || dirent.isSymbolicLink()) out.push(full);
  }
};

const entryFor = (path: string, file: string, labels: string[], confineTo?: string): ImportEntry => ({
  ...(confineTo === undefined ? {} : { confineTo }),
  file,
  path,
  line: null,
  labels,
  patient: null,
  exam: null,
  sourceGroup: null,
  note: null,
  metadata: {},
});

/**
 * A plain folder: each first-level sub-folder is a class (`benign/x.png` → `benign`), files at the
 * top are unlabeled, hidden files are skipped. Entries come sorted so every run sees the same order.
 * A symbolic link is confined to the folder like a manifest row (`confineTo`): one that leads out
 * is refused unless outside paths are allowed; links to folders are never followed.
 * A single file (an image or a DICOM) is a plan of one unlabeled entry.
 */
export const scanFolder = (source: string): ImportPlan => {
  if (!statSync(source).isDirectory()) {
    return { kind: 'file', entries: [entryFor(source, basename(source), [])], issues: [] };
  }
  const files: string[] = [];
  walk(source, files);
  files.sort();
  const entries = files.map((path) => {
    const file = relative(source, path).split(sep).join('/');
    const parts = file.split('/');
    const link = lstatSync(path).isSymbolicLink();
    return entryFor(path, file, parts.length > 1 ? [parts[0]!] : [], link ? source : undefined);
  });
  return { kind: 'folder', entries, issues: [] };
};
