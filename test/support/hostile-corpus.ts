import { lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dicomCases } from './hostile-corpus-dicom';
import { imageCases } from './hostile-corpus-images';
import { folderCases, manifestCases } from './hostile-corpus-manifests';
import type { HostileCase } from './hostile-corpus-types';

export type { ExpectedIssue, HostileCase, HostileExpectation } from './hostile-corpus-types';

/** Every file, link and pipe under `dir` (what the corpus holds on disk). */
export const countCorpusFiles = (dir: string): number => {
  let count = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    count += lstatSync(path).isDirectory() ? countCorpusFiles(path) : 1;
  }
  return count;
};

/**
 * Generates the hostile-input corpus under `root` (a fresh temporary folder): PNG, JPEG and DICOM
 * files in `images/` and `dicom/` (each imported on its own), one folder per manifest under `csv/`,
 * and folders with awkward names under `folders/`. Returns the cases with their expected outcomes.
 * Nothing is read from or written to the repository; a run takes about a second.
 */
export const buildHostileCorpus = async (root: string): Promise<HostileCase[]> => {
  const at = (name: string): string => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const cases = [
    ...(await imageCases(at('images'))),
    ...(await dicomCases(at('dicom'))),
    ...(await manifestCases(at('csv'))),
    ...(await folderCases(at('folders'))),
  ];
  const names = new Set(cases.map((c) => c.name));
  if (names.size !== cases.length) throw new Error('hostile corpus: case names must be unique');
  return cases;
};
