import type { RunListItem } from '../../shared/contract/run';
import { runMethods } from '../../shared/run/run-config';
import type { RunSummary } from '../../shared/run/run-result';
import type { PreparedRun } from './build-run-manifest';
import type { LabelRule } from './run-manifest';
import type { RunJobResult } from './run-job-result';
import type { RunRecord } from './run-store';

/** Builds the stored RunSummary from the prepared run and what the trainer returned. */
export const buildRunSummary = (
  record: RunRecord,
  prepared: Pick<PreparedRun, 'splitId' | 'splitName' | 'counts' | 'task'> & {
    classes: string[];
    dataset: string;
  },
  result: RunJobResult,
  notices: string[],
): RunSummary => ({
  runId: record.id,
  createdAt: record.createdAt,
  status: 'succeeded',
  dataset: prepared.dataset,
  task: prepared.task,
  classes: prepared.classes,
  config: record.config,
  backend: result.backend,
  labelVersion: record.labelVersion,
  split: {
    id: prepared.splitId,
    name: prepared.splitName,
    groupedBy: 'patient/exam/source group',
    counts: prepared.counts,
  },
  methods: result.methods,
  skipped: result.skipped,
  notices,
  timing: result.timing,
});

/** The run summary's statement of a multi-rater task's label rule, with the counts. */
export const labelRuleNotice = (r: LabelRule): string =>
  `labels from ${r.raters} raters per image: the adjudicated label, else the raters' majority — ` +
  `${r.adjudicated} adjudicated, ${r.majority} by majority, ${r.ties} tie(s) and ${r.unrated} unrated image(s) left out`;

/** The list row of a run: its best test accuracy among methods, and whether it is stale. */
export const toListItem = (record: RunRecord, dataset: string, stale: boolean): RunListItem => {
  let headline: RunListItem['headline'] = null;
  for (const m of runMethods) {
    const r = record.summary?.methods[m];
    if (r && (!headline || r.test.accuracy > headline.testAccuracy))
      headline = { method: m, testAccuracy: r.test.accuracy, macroF1: r.test.macroF1 };
  }
  return {
    runId: record.id,
    datasetId: record.datasetId,
    dataset,
    task: record.task,
    status: record.status,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
    backend: record.backend,
    error: record.error,
    headline,
    stale,
  };
};
