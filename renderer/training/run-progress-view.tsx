import type { ReactNode } from 'react';
import { methodLabels, runMethods } from '../../shared/run/run-config';
import type { CurvePoint, RunCurvePoint, RunProgress } from '../../shared/run/run-progress';
import { formatDuration, formatRate } from '../components/format';
import { LineChart, type Series } from '../results/line-chart';

const stageLabels: Record<RunProgress['stage'], string> = {
  prepare: 'Preparing data and encoders',
  features: 'Computing frozen features',
  heads: 'Training heads on frozen features',
  stage1: 'Stage 1: fine-tuning the image backbone',
  stage2: 'Stage 2: training the fusion head',
  evaluate: 'Evaluating on validation and test',
  done: 'Finished',
};

const tones = ['series-a', 'series-b', 'series-c', 'series-d'];

/** Train (solid) and validation (dashed) series per method for one quantity. */
export const curveSeries = (curves: readonly CurvePoint[], quantity: 'loss' | 'accuracy'): Series[] => {
  const methods = runMethods.filter((m) => curves.some((c) => c.method === m));
  return methods.flatMap((m, i) => {
    const points = curves.filter((c) => c.method === m).sort((a, b) => a.epoch - b.epoch);
    const tone = tones[i % tones.length]!;
    const train = points.map((p) => ({
      x: p.epoch,
      y: quantity === 'loss' ? p.trainLoss : (p.trainAccuracy ?? Number.NaN),
    }));
    const val = points.map((p) => ({
      x: p.epoch,
      y: (quantity === 'loss' ? p.validationLoss : p.validationAccuracy) ?? Number.NaN,
    }));
    return [
      { name: `${methodLabels[m]} · train`, tone, points: train.filter((p) => Number.isFinite(p.y)) },
      {
        name: `${methodLabels[m]} · validation`,
        tone,
        dashed: true,
        points: val.filter((p) => Number.isFinite(p.y)),
      },
    ].filter((s) => s.points.length > 0);
  });
};

/** The loss and accuracy charts of one seed's curve points. */
export const RunCurves = ({ curves }: { curves: readonly CurvePoint[] }) => (
  <div className="charts">
    <LineChart title="Loss per epoch" yLabel="epoch" series={curveSeries(curves, 'loss')} />
    <LineChart title="Accuracy per epoch" yLabel="epoch" series={curveSeries(curves, 'accuracy')} />
  </div>
);

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
  return (
    <section className="panel" aria-labelledby="progress-title">
      <h2 id="progress-title">
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
      <div className="charts">
        <LineChart title="Loss per epoch" yLabel="epoch" series={curveSeries(ofSeed, 'loss')} />
        <LineChart title="Accuracy per epoch" yLabel="epoch" series={curveSeries(ofSeed, 'accuracy')} />
      </div>
      {children}
    </section>
  );
};
