import type { RunDetail } from '../../shared/contract/index';
import { PRESET_LABELS } from '../../shared/augment/augment-presets';
import { methodLabels, type RunMethod } from '../../shared/run/run-config';
import type { RunSummary } from '../../shared/run/run-result';
import { formatDuration } from '../components/format';

const partText = (counts: Record<string, number>): string => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return `${total} (${Object.entries(counts)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ')})`;
};

/** One line of the run's configuration, as a reader of the report would want it. */
export const configLine = (config: RunDetail['config']): string =>
  [
    `${config.imageSize} px`,
    `batch ${config.batchSize}`,
    `seed ${config.seed}${config.seeds > 1 ? ` ×${config.seeds}` : ''}`,
    `stage 1: ${config.stage1.epochs} epochs, ${config.stage1.optimizer} lr ${config.stage1.lr}`,
    `stage 2: ${config.stage2.head} head, ${config.stage2.epochs} epochs`,
    `heads: ${config.heads.epochs} epochs`,
    `augmentation: ${PRESET_LABELS[config.augmentation.preset]}${
      config.augmentation.datasetVersion === undefined
        ? ''
        : config.augmentation.datasetVersion === 0
          ? ' (dataset default)'
          : ` (dataset version ${config.augmentation.datasetVersion})`
    }`,
  ].join(' · ');

/** What changed among the run's snapshot images since it started, as a sentence (or nothing). */
export const catalogChangesText = (c: RunDetail['catalogChanges']): string => {
  if (!c || c.total === 0) return '';
  const parts = [
    [c.relabelled, 'relabelled'],
    [c.removed, 'removed'],
    [c.contentChanged, 'with other content'],
    [c.notesChanged, 'with another note'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}`);
  return `It trained on a frozen snapshot; of its images ${parts.join(', ')} since. `;
};

/**
 * What a finished run was trained on and how: dataset, task and split counts, label version,
 * backend, configuration and timings, plus the stale-labels warning, skipped methods and notices.
 */
export const RunFacts = ({ run, summary }: { run: RunDetail; summary: RunSummary }) => (
  <div className="run-facts">
    {run.stale ? (
      <p className="warn-banner" role="note">
        Labels changed after this run started (it used label version {summary.labelVersion}): its results may
        be stale. {catalogChangesText(run.catalogChanges)}Start a new run to train on the current labels.
      </p>
    ) : null}
    <dl className="facts inline">
      <div>
        <dt>Task</dt>
        <dd>{summary.task}</dd>
      </div>
      <div>
        <dt>Split</dt>
        <dd>
          {summary.split.name} (grouped by {summary.split.groupedBy})
        </dd>
      </div>
      <div>
        <dt>Train</dt>
        <dd>{partText(summary.split.counts.train)}</dd>
      </div>
      <div>
        <dt>Validation</dt>
        <dd>{partText(summary.split.counts.validation)}</dd>
      </div>
      <div>
        <dt>Test</dt>
        <dd>{partText(summary.split.counts.test)}</dd>
      </div>
      <div>
        <dt>Total time</dt>
        <dd>
          {formatDuration(summary.timing.total ?? Object.values(summary.timing).reduce((a, b) => a + b, 0))}
        </dd>
      </div>
    </dl>
    <p className="muted small">{configLine(run.config)}</p>
    {Object.entries(summary.skipped).length > 0 ? (
      <ul className="notices" aria-label="Skipped methods">
        {Object.entries(summary.skipped).map(([m, why]) => (
          <li key={m}>
            <b>{methodLabels[m as RunMethod]}</b> skipped: {why}
          </li>
        ))}
      </ul>
    ) : null}
    {summary.notices.length > 0 ? (
      <ul className="notices" aria-label="Notices">
        {summary.notices.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    ) : null}
  </div>
);
