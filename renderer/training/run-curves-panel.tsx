import { useState } from 'react';
import { useApi } from '../api-context';
import { ErrorMessage } from '../components/error-message';
import { SegmentedButtons } from '../components/segmented-buttons';
import { useCall } from '../use-call';
import { curveStageLabels, stageOfMethod, type CurveStage } from '../results/curve-chart';
import { RunCurves, stageCurves } from './run-progress-view';

/**
 * A run's stored training curves (`run:curves`: every epoch point of every seed and method, kept
 * in the run folder as they arrived), one seed and one stage at a time (each over its own epochs): the record of how a finished or
 * stopped run trained, after any reload.
 */
export const RunCurvesPanel = ({ runId }: { runId: number }) => {
  const api = useApi();
  const [curves] = useCall(() => api.run.curves({ runId }));
  const [picked, setPicked] = useState<number | null>(null);
  const [pickedStage, setPickedStage] = useState<CurveStage | null>(null);
  if (curves.status === 'loading') return null;
  if (curves.status === 'error') return <ErrorMessage error={curves.error} />;
  const seeds = [...new Set(curves.value.map((c) => c.seed))].sort((a, b) => a - b);
  if (seeds.length === 0) return null;
  const seed = picked !== null && seeds.includes(picked) ? picked : seeds[0]!;
  const ofSeed = curves.value.filter((c) => c.seed === seed);
  const stages = (['stage1', 'stage2', 'heads'] as const).filter((st) =>
    ofSeed.some((c) => stageOfMethod(c.method) === st),
  );
  const stage = pickedStage !== null && stages.includes(pickedStage) ? pickedStage : stages[0]!;
  return (
    <details className="review-block" data-testid="run-curves">
      <summary>Training curves ({seeds.length === 1 ? `seed ${seed}` : `${seeds.length} seeds`})</summary>
      {seeds.length > 1 ? (
        <SegmentedButtons
          label="Seed of the curves"
          options={seeds}
          value={seed}
          onChange={setPicked}
          optionLabel={(s) => `Seed ${s}`}
        />
      ) : null}
      {stages.length > 1 ? (
        <SegmentedButtons
          label="Stage of the curves"
          options={stages}
          value={stage}
          onChange={setPickedStage}
          optionLabel={(st) => curveStageLabels[st]}
        />
      ) : null}
      <RunCurves curves={stageCurves(ofSeed, stage)} />
    </details>
  );
};
