import { useEffect, useState } from 'react';
import type { AppErrorShape, RunDetail, RunPrediction } from '../../shared/contract/index';
import { findLabelIssues } from '../../shared/metrics/label-issues';
import { methodLabels, runMethods, type RunMethod } from '../../shared/run/run-config';
import { useApi } from '../api-context';
import { useMediaUrl } from '../catalog/media-url';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { ComparisonTable } from '../results/comparison-table';
import { ConfusionMatrix } from '../results/confusion-matrix';

/** The predictions of one confusion cell: true class t predicted as p. */
export const cellPredictions = (
  predictions: readonly RunPrediction[],
  classes: readonly string[],
  t: number,
  p: number,
): RunPrediction[] => predictions.filter((x) => x.actual === classes[t] && x.predicted === classes[p]);

/**
 * A finished run for reviewers: every method side by side, the selected method's test confusion
 * matrix whose cells list their images, the method's confident errors, likely label errors
 * (confident learning on validation + test probabilities), relabelling with an audit reason, and
 * the validation report export.
 */
export const RunReview = ({ run }: { run: RunDetail }) => {
  const api = useApi();
  const media = useMediaUrl();
  const ws = useWorkspace();
  const summary = run.summary!;
  const firstMethod = runMethods.find((m) => summary.methods[m]) ?? 'stage1_image';
  const [method, setMethod] = useState<RunMethod>(firstMethod);
  const [cell, setCell] = useState<{ trueIndex: number; predictedIndex: number } | null>(null);
  const [predictions, setPredictions] = useState<RunPrediction[]>([]);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [relabelled, setRelabelled] = useState<Record<number, string>>({});
  const [reportPath, setReportPath] = useState('');
  const [reportFormat, setReportFormat] = useState<'html' | 'csv'>('html');
  const [exported, setExported] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void api.run.predictions({ runId: run.runId, method, limit: 5000 }).then((r) => {
      if (!live) return;
      if (r.ok) setPredictions(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, run.runId, method]);

  const result = summary.methods[method];
  const classes = summary.classes;
  const test = predictions.filter((p) => p.split === 'test');
  const shown = cell ? cellPredictions(test, classes, cell.trueIndex, cell.predictedIndex) : [];
  const wrong = predictions.filter((p) => p.correct === false).sort((a, b) => b.confidence - a.confidence);
  const withTruth = predictions.filter((p) => p.actual !== null && classes.includes(p.actual));
  const issues = findLabelIssues(
    withTruth.map((p) => classes.indexOf(p.actual!)),
    withTruth.map((p) => p.probs),
    classes.length,
  ).slice(0, 24);

  const relabel = async (imageId: number, label: string) => {
    const r = await api.catalog.setLabels({
      imageId,
      task: summary.task,
      labels: [label],
      user: ws.user,
      reason: `review of run ${run.runId} (${method})`,
    });
    if (r.ok) setRelabelled((all) => ({ ...all, [imageId]: label }));
    else setError(r.error);
  };
  const exportReport = async () => {
    const r = await api.run.exportReport({ runId: run.runId, path: reportPath, format: reportFormat });
    if (r.ok) setExported(`${r.value.path} (${r.value.bytes} bytes)`);
    else setError(r.error);
  };

  const card = (p: RunPrediction) => (
    <li key={`${p.imageId}-${p.method}`} className="gallery-item" data-testid={`review-${p.imageId}`}>
      <img src={media(p.imageId, 'thumb')} alt={`Image ${p.imageId}`} width={96} height={96} />
      <div className="muted">
        true {p.actual ?? '—'} · predicted {p.predicted} ({(p.confidence * 100).toFixed(0)}%)
      </div>
      <div className="toolbar">
        {classes.map((c) => (
          <button
            key={c}
            type="button"
            className="button small"
            aria-label={`Relabel image ${p.imageId} as ${c}`}
            disabled={(relabelled[p.imageId] ?? p.actual) === c}
            onClick={() => void relabel(p.imageId, c)}
          >
            {c}
          </button>
        ))}
      </div>
      {relabelled[p.imageId] ? <div role="status">relabelled {relabelled[p.imageId]}</div> : null}
    </li>
  );

  return (
    <section className="panel" aria-labelledby="review-title">
      <h2 id="review-title">
        Run {run.runId} · {run.dataset} · {summary.backend}
      </h2>
      {run.stale ? (
        <p className="warn" role="note">
          Labels changed after this run started: its results may be stale.
        </p>
      ) : null}
      {summary.notices.map((n) => (
        <p key={n} className="muted" role="note">
          {n}
        </p>
      ))}
      <ComparisonTable run={summary} selected={method} onSelect={(m) => (setMethod(m), setCell(null))} />
      {Object.entries(summary.skipped).map(([m, why]) => (
        <p key={m} className="muted">
          {methodLabels[m as RunMethod]}: skipped — {why}
        </p>
      ))}
      {error ? <ErrorMessage error={error} /> : null}
      {result ? (
        <div className="pair">
          <ConfusionMatrix
            classes={classes}
            matrix={result.test.confusion}
            title={`${methodLabels[method]} — test`}
            selected={cell}
            onCellClick={(trueIndex, predictedIndex) => setCell({ trueIndex, predictedIndex })}
          />
          <div>
            <h3>
              {cell
                ? `True ${classes[cell.trueIndex]} predicted ${classes[cell.predictedIndex]}: ${shown.length} image(s)`
                : 'Click a cell to list its images'}
            </h3>
            <ol className="gallery" aria-label="Images of the selected cell">
              {shown.map(card)}
            </ol>
          </div>
        </div>
      ) : null}
      <h3>
        Misclassified by {methodLabels[method]}, most confident first ({wrong.length})
      </h3>
      <ol className="gallery" aria-label="Misclassified images">
        {wrong.slice(0, 48).map(card)}
      </ol>
      <h3>Likely label errors ({issues.length})</h3>
      <ol className="gallery" aria-label="Likely label errors">
        {issues.map((i) => card(withTruth[i.index]!))}
      </ol>
      <h3>Validation report</h3>
      <div className="toolbar">
        <label className="field grow">
          <span>Save to (path on this computer)</span>
          <input
            value={reportPath}
            onChange={(e) => setReportPath(e.target.value)}
            placeholder="/home/me/run-report.html"
          />
        </label>
        <label className="field">
          <span>Format</span>
          <select value={reportFormat} onChange={(e) => setReportFormat(e.target.value as 'html' | 'csv')}>
            <option value="html">HTML</option>
            <option value="csv">CSV</option>
          </select>
        </label>
        <button
          type="button"
          className="button"
          disabled={!reportPath.trim()}
          onClick={() => void exportReport()}
        >
          Export report
        </button>
      </div>
      {exported ? <p role="status">Report written: {exported}</p> : null}
    </section>
  );
};
