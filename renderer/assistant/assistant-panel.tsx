import { useState } from 'react';
import type { AppErrorShape, AssistantModelSource } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { SegmentedButtons } from '../components/segmented-buttons';
import { LineChart } from '../results/curve-chart';
import { useQuery } from '../use-query';
import { AssistantStatusLine } from './assistant-status';
import { percent } from './assistant-text';
import { simSummary, STRATEGY_LABELS } from './sim-summary';
import { useAssistantStatus } from './use-assistant';

const SOURCES: readonly AssistantModelSource[] = ['features', 'run'];
const SOURCE_TEXT: Record<AssistantModelSource, string> = {
  features: 'Head on image features',
  run: "Latest finished run's model",
};

/** The command that produces the simulation this panel shows. */
export const simCommand = (catalogPath: string | null, dataset: string, task = 'label'): string =>
  `sonofuse assist-sim --db ${JSON.stringify(catalogPath ?? '<catalog.db>')} --dataset ${JSON.stringify(dataset)}${task === 'label' ? '' : ` --task ${JSON.stringify(task)}`} --seeds 3`;

/**
 * The labeling assistant of a dataset and task: its state, which model suggests (the head on image
 * features or the latest run's model), and the measured savings from `sonofuse assist-sim`:
 * learning curves per strategy, labels needed for 95% of the all-labels accuracy, and how often
 * the suggestion was right. Without a stored simulation it says how to make one.
 */
export const AssistantPanel = ({
  datasetId,
  datasetName,
  task,
}: {
  datasetId: number;
  datasetName: string;
  task: string;
}) => {
  const api = useApi();
  const { status, error } = useAssistantStatus(datasetId, task);
  const [sim, reload] = useQuery(() => api.assistant.simulation({ datasetId, task }), `${datasetId}:${task}`);
  const [info] = useQuery(() => api.app.info({}), 'info');
  const catalogPath = info.status === 'ok' ? info.value.catalogPath : null;
  const source = status?.model?.source ?? 'features';
  const [sourceError, setSourceError] = useState<AppErrorShape | null>(null);

  return (
    <section
      className="panel assistant-panel"
      aria-labelledby="assistant-title"
      data-testid="assistant-panel"
    >
      <h3 id="assistant-title">Labeling assistant</h3>
      <p>
        <AssistantStatusLine status={status} error={error} />
      </p>
      <div className="form-row">
        <span className="muted">Suggestions from</span>
        <SegmentedButtons
          label="Suggestions from"
          options={SOURCES}
          value={source}
          optionLabel={(s) => SOURCE_TEXT[s]}
          onChange={(s) =>
            void api.assistant
              .useModel({ datasetId, task, source: s })
              .then((r) => setSourceError(r.ok ? null : r.error))
          }
        />
      </div>
      {sourceError ? (
        <p className="muted small" role="status" data-testid="source-error">
          {sourceError.message}
        </p>
      ) : null}
      {sim.status === 'error' ? (
        // The assistant is optional: its errors are said quietly, never as an alert over training.
        <p className="muted small" data-testid="sim-error">
          Simulation unavailable: {sim.error.message}{' '}
          <button type="button" className="link-button" onClick={reload}>
            Retry
          </button>
        </p>
      ) : null}
      {sim.status === 'ok' && sim.value === null ? (
        <div className="empty-state" data-testid="sim-empty">
          <p>
            No simulation of the labeling loop yet. It replays this dataset&apos;s labels in each
            strategy&apos;s order and measures how many labels each needs; run in a terminal:
          </p>
          <pre>
            <code data-testid="sim-command">{simCommand(catalogPath, datasetName, task)}</code>
          </pre>
          <button type="button" className="button" onClick={reload}>
            Check again
          </button>
        </div>
      ) : null}
      {sim.status === 'ok' && sim.value ? <SimulationView sim={sim.value} /> : null}
    </section>
  );
};

const SimulationView = ({ sim }: { sim: NonNullable<Parameters<typeof simSummary>[0]> }) => {
  const { x, series, rows, target } = simSummary(sim);
  return (
    <>
      <LineChart
        title="Test accuracy per number of labels"
        caption={`${sim.seeds.length} seed${sim.seeds.length === 1 ? '' : 's'}, start ${sim.start}, batch ${sim.batch}`}
        xLabel="labels"
        x={x}
        xFrom={x[0] ?? 0}
        series={series}
        yFormat={(v) => v.toFixed(2)}
        empty="The simulation has no rounds."
      />
      <table className="table sim-table" data-testid="sim-table">
        <caption className="muted small">
          All-labels accuracy {percent(sim.allLabelsAccuracy)} (target {percent(target)}) on {sim.testSize}{' '}
          test images; pool {sim.n} training images; {sim.createdAt.slice(0, 10)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col">Labels to 95%</th>
            <th scope="col">Of random</th>
            <th scope="col">Area under curve</th>
            <th scope="col">Suggestion right</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.strategy}>
              <th scope="row">{STRATEGY_LABELS[r.strategy]}</th>
              <td>
                {r.labelsTo95 === null ? 'not reached' : Math.round(r.labelsTo95).toLocaleString('en')}
                {r.neverReached > 0 && r.labelsTo95 !== null ? ` (${r.neverReached} seed not reached)` : ''}
              </td>
              <td>{r.ofRandom === null ? '—' : percent(r.ofRandom)}</td>
              <td>{r.auc.toFixed(3)}</td>
              <td>{percent(r.suggestionAccuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
};
