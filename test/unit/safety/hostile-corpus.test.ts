import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportIssue, ImportReport } from '../../../shared/contract/catalog';
import {
  buildHostileCorpus,
  countCorpusFiles,
  type ExpectedIssue,
  type HostileCase,
} from '../../support/hostile-corpus';
import {
  OUTSIDE_EXISTING,
  OUTSIDE_MISSING,
  PROTOTYPE_KEYS,
  RTL_NAME,
} from '../../support/hostile-corpus-manifests';
import { freshCatalog, importOptions, tempDir } from '../main/catalog/support/catalog-fixtures';

/**
 * The standing hostile-input suite (issue #14): every generated file, manifest and folder goes
 * through the real import service (real sharp and dicom-parser) into one temporary catalog. A bad
 * input must end as a report line with the right category (or a refused source with the right
 * error), a good one must import, nothing may throw or take the process down, and the process's
 * peak memory over the whole corpus must stay under a generous ceiling.
 */

/** Peak resident memory the corpus may add, in MiB (the issue's bombs took gigabytes). */
const RSS_CEILING_MIB = 600;
const MIB = 1024 * 1024;

const root = tempDir('sonofuse-hostile-');
const corpus = await buildHostileCorpus(root);
const { catalog, dbPath } = freshCatalog();
const reports = new Map<string, ImportReport>();
let rssBefore = 0;
let maxRssBefore = 0;
let sampledPeak = 0;
let sampler: NodeJS.Timeout | undefined;

const matches = (issue: ImportIssue, want: ExpectedIssue): boolean =>
  want.codes.includes(issue.code) &&
  (want.file === undefined ||
    (typeof want.file === 'string' ? issue.file === want.file : want.file.test(issue.file)));

/** Pairs expected issues with reported ones; what is left on either side is a difference. */
const compareIssues = (
  expected: readonly ExpectedIssue[],
  actual: readonly ImportIssue[],
): { missing: string[]; unexpected: string[] } => {
  const left = [...actual];
  const missing: string[] = [];
  for (const want of expected) {
    const at = left.findIndex((issue) => matches(issue, want));
    if (at < 0) missing.push(`${String(want.file ?? '*')}: ${want.codes.join('|')}`);
    else left.splice(at, 1);
  }
  return { missing, unexpected: left.map((i) => `${i.file} (line ${i.line}): ${i.code}: ${i.reason}`) };
};

const importCase = async (c: HostileCase): Promise<{ report?: ImportReport; error?: unknown }> => {
  try {
    return {
      report: await catalog.import(importOptions({ source: c.source, dataset: c.name, ...c.options })),
    };
  } catch (error) {
    return { error };
  }
};

const imagesOf = (datasetId: number) =>
  catalog.images({ datasetId, task: 'label', sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 500 }).items;

/** Checks beyond counts and categories, for the cases that need them. */
const extraChecks: Record<string, (report: ImportReport) => void> = {
  'csv-prototype-columns': (report) => {
    const [first] = imagesOf(report.datasetId);
    const metadata = Object.fromEntries(catalog.image(first!.id).metadata.map((m) => [m.key, m.value]));
    for (const key of PROTOTYPE_KEYS) expect(Object.hasOwn(metadata, key) && metadata[key]).toBe(`${key}-0`);
  },
  'csv-path-absolute': (report) => {
    // The reason must not tell whether an outside path exists.
    const reason = (file: string): string =>
      report.errors.find((e) => e.file === file)?.reason.replaceAll(file, '<file>') ?? 'no issue';
    expect(reason(OUTSIDE_EXISTING)).toBe(reason(OUTSIDE_MISSING));
  },
  'csv-rtl-override': (report) => {
    const [image] = imagesOf(report.datasetId);
    expect([image?.file, image?.labels]).toEqual([RTL_NAME, ['\u202Ebenign']]);
  },
  'csv-nul-bytes': (report) => {
    const notes = imagesOf(report.datasetId).map((i) => [i.file, catalog.image(i.id).note]);
    expect(notes).toEqual([
      ['a.png', 'ok'],
      ['c.png', 'nul\0in the note'],
    ]);
  },
  'csv-formula-cells': (report) => {
    const notes = imagesOf(report.datasetId).map((i) => catalog.image(i.id).note);
    expect(notes).toEqual(['=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", '@SUM(1)']);
  },
  'dicom-burned-in-annotation': (report) => {
    expect(report.burnedIn?.images).toBe(1);
  },
  'dicom-multiframe-good': (report) => {
    expect(imagesOf(report.datasetId).map((i) => [i.frame, i.width, i.height])).toEqual([
      [0, 8, 6],
      [1, 8, 6],
      [2, 8, 6],
    ]);
  },
  'folder-weird-names': (report) => {
    expect(Object.keys(report.labels).sort()).toEqual(
      [
        ' leading space',
        'trailing space ',
        '\u00fcn\u00ef c\u00f6d\u00e9',
        'rtl-\u202Elive',
        'new\nline',
        'semi;colon|pipe',
        '$(rm -rf ~)',
        'x'.repeat(200),
        'deep',
      ].sort(),
    );
    expect(imagesOf(report.datasetId).some((i) => i.file.includes('.hidden'))).toBe(false);
  },
};

beforeAll(() => {
  rssBefore = process.memoryUsage().rss;
  maxRssBefore = process.resourceUsage().maxRSS * 1024;
  // Sampled too, in case this worker process peaked higher before this file (ru_maxrss never falls).
  sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 5);
});

afterAll(() => {
  clearInterval(sampler);
  catalog.close();
});

describe('hostile-input corpus', () => {
  it('holds at least 50 generated files across every group', () => {
    expect(countCorpusFiles(root)).toBeGreaterThanOrEqual(50);
    const groups = new Set(corpus.map((c) => c.group));
    expect([...groups].sort()).toEqual(['csv', 'dicom', 'folder', 'jpeg', 'png']);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { report, error } = await importCase(c);
    if (c.expect.refused) {
      expect(report, 'the source should have been refused').toBeUndefined();
      const e = error as { code?: string; message?: string };
      expect(e.code).toBe(c.expect.refused.code);
      expect(e.message).toMatch(c.expect.refused.message);
      return;
    }
    expect(error, String((error as Error | undefined)?.stack ?? error)).toBeUndefined();
    reports.set(c.name, report!);
    const { missing, unexpected } = compareIssues(c.expect.errors, report!.errors);
    expect({ status: report!.status, imported: report!.imported, missing, unexpected }).toEqual({
      status: 'done',
      imported: c.expect.imported,
      missing: [],
      unexpected: [],
    });
    for (const issue of report!.errors) expect(issue.reason.length).toBeGreaterThan(5);
    // What the report counts is what the catalog holds.
    expect(imagesOf(report!.datasetId)).toHaveLength(c.expect.imported);
    extraChecks[c.name]?.(report!);
  });

  it('leaves a sound catalog that still imports, with bounded peak memory', async () => {
    const good = corpus.find((c) => c.name === 'png-good')!;
    const again = await catalog.import(importOptions({ source: good.source, dataset: 'after-the-corpus' }));
    expect([again.status, again.imported, again.errors]).toEqual(['done', 1, []]);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    // ru_maxrss: the peak of this worker process over its life, sharp's threads included; when it
    // was set before this file ran, the sampled peak is what the corpus reached.
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const peakMib = (maxRss > maxRssBefore ? maxRss : Math.max(sampledPeak, rssBefore)) / MIB;
    const addedMib = peakMib - rssBefore / MIB;
    console.log(
      `hostile corpus: ${countCorpusFiles(root)} files, ${corpus.length} cases, ${reports.size} imported without refusal; ` +
        `RSS before ${(rssBefore / MIB).toFixed(0)} MiB, peak ${peakMib.toFixed(0)} MiB (+${addedMib.toFixed(0)} MiB)`,
    );
    expect(addedMib).toBeLessThan(RSS_CEILING_MIB);
  });
});
