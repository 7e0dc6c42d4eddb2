import type { ReactNode } from 'react';
import { methodLabels } from '../../shared/run/run-config';
import type { CurvePoint, RunCurvePoint, RunProgress } from '../../shared/run/run-progress';
import { formatDuration, formatRate } from '../components/format';
import { CurveChart, stageOfMethod, type CurveStage } from '../results/curve-chart';

const stageLabels: Record<RunProgress['stage'], string> = {
  prepare: 'Preparing data and encoders',
  features: 'Computing frozen features',
  heads: 'Training heads on frozen features',
  stage1: 'Stage 1: fine-tuning the image backbone',
  stage2: 'Stage 2: training the fusion head',
  evaluate: 'Evaluating on validation and test',
  done: 'Finished',
};

/**
 * The loss and accuracy charts of one seed's curve points, each full width; with `plannedEpochs`
 * the x axis spans the stage's epochs before its points do.
 */
export const RunCurves = ({
  curves,
  plannedEpochs,
}: {
  curves: readonly CurvePoint[];
  plannedEpochs?: number;
}) => (
  <div className="charts">
    <CurveChart title="Loss per epoch" quantity="loss" curves={curves} plannedEpochs={plannedEpochs} />
    <CurveChart
      title="Accuracy per epoch"
      quantity="accuracy"
      curves={curves}
      plannedEpochs={plannedEpochs}
    />
  </div>
);

/** The points of one stage (stage 1, stage 2 or the frozen-feature heads). */
export const stageCurves = <T extends CurvePoint>(curves: readonly T[], stage: CurveStage): T[] =>
  curves.filter((c) => stageOfMethod(c.method) === stage);

/** The points of the latest seed that has any (the one training now, or last). */
export const latestSeedCurves = (curves: readonly RunCurvePoint[]): RunCurvePoint[] => {
  const seed = Math.max(...curves.map((c) => c.seed));
  return curves.filter((c) => c.seed === seed);
};

/**
 * Live view of a running run: stage, epoch/batch, images/s, ETA, backend, the curves of the seed
 * in progress (stored points and live ones) and actions.
 */
export const RunProgressView = ({
  progress,
  curves,
  children,
}: {
  progress: RunProgress;
  /** Curve points; those of other seeds than the one in progress are left out. */
  curves: ReadonlyArray<CurvePoint & { seed?: number }>;
  /** Actions shown under the curves (e.g. Cancel). */
  children?: ReactNode;
}) => {
  const ofSeed = curves.filter((c) => c.seed === undefined || c.seed === progress.seed);
  // The charts follow the stage in progress: its methods, over its own epochs.
  const stage = progress.method ? stageOfMethod(progress.method) : null;
  return (
    <section className="panel" aria-labelledby={`progress-title-${progress.runId}`}>
      <h2 id={`progress-title-${progress.runId}`}>
        Run {progress.runId} · seed {progress.seed}
      </h2>
      <dl className="facts" data-testid="run-progress">
        <dt>Stage</dt>
        <dd>
          {stageLabels[progress.stage]}
          {progress.method ? ` — ${methodLabels[progress.method]}` : ''}
        </dd>
        <dt>Epoch</dt>
        <dd>
          {progress.epoch}/{progress.epochs}, batch {progress.batch}/{progress.batches}
        </dd>
        <dt>Speed</dt>
        <dd>{progress.imagesPerSecond === null ? '—' : `${formatRate(progress.imagesPerSecond)} images`}</dd>
        <dt>Remaining</dt>
        <dd>{formatDuration(progress.etaSeconds)}</dd>
        <dt>Backend</dt>
        <dd>{progress.backend}</dd>
      </dl>
      <progress
        className="run-bar"
        max={Math.max(1, progress.epochs * Math.max(1, progress.batches))}
        value={Math.max(0, progress.epoch - 1) * progress.batches + progress.batch}
        aria-label="Progress of the current stage"
      />
      <RunCurves
        curves={stage ? stageCurves(ofSeed, stage) : ofSeed}
        plannedEpochs={stage ? progress.epochs : undefined}
      />
      {children}
    </section>
  );
};
