import { useEffect, useMemo, useState } from 'react';
import type { RunIntervals } from '../../shared/contract/run-intervals';
import type { AppErrorShape, RunDetail } from '../../shared/contract/index';
import { methodLabels, runMethods, type RunMethod } from '../../shared/run/run-config';
import { useApi } from '../api-context';
import { useMediaUrl } from '../catalog/media-url';
import { useUndo } from '../catalog/undo-stack';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { SegmentedButtons } from '../components/segmented-buttons';
import { ComparisonTable } from '../results/comparison-table';
import { ConfusionMatrix } from '../results/confusion-matrix';
import { MisclassificationGallery, type GalleryItem } from '../results/misclassification-gallery';
import { PerClassTable } from '../results/per-class-table';
import { ImagePeek } from './image-peek';
import { ReportExport } from './report-export';
import { ReviewActions, type ReviewMark } from './review-actions';
import { cellPredictions, likelyLabelErrors, predictionsByImage, toGalleryItem } from './review-items';
import { RunCurvesPanel } from './run-curves-panel';
import { RunFacts } from './run-facts';
import { useImageDetails } from './use-image-details';
import { GALLERY_SIZE, useRunPredictions } from './use-run-predictions';

/** How many cards a cell or the label-error list shows at most. */
const SHOWN = 60;

/**
 * A finished run for reviewers: every method side by side, the selected method's confusion
 * matrix whose cells list exactly their images, its confident errors, likely label errors
 * (confident learning on held-out predictions), relabel or flag with an audit reason, and the
 * validation report export. `onChanged` is called after a relabel (the run may now be stale).
 */
export const RunReview = ({ run, onChanged }: { run: RunDetail; onChanged?: () => void }) => {
  const api = useApi();
  const media = useMediaUrl();
  const ws = useWorkspace();
  const undo = useUndo();
  const summary = run.summary!;
  const classes = summary.classes;
  const [method, setMethod] = useState<RunMethod>(
    () => (['proposed', ...runMethods] as const).find((m) => summary.methods[m]) ?? 'stage1_image',
  );
  const [split, setSplit] = useState<'test' | 'validation'>('test');
  const [cell, setCell] = useState<{ trueIndex: number; predictedIndex: number } | null>(null);
  const [marks, setMarks] = useState<Record<number, ReviewMark>>({});
  const [peek, setPeek] = useState<number | null>(null);
  const [changes, setChanges] = useState(0);
  const [actionError, setActionError] = useState<AppErrorShape | null>(null);
  const predictions = useRunPredictions(run.runId, method, split);
  const [intervals, setIntervals] = useState<RunIntervals | null>(null);
  const [intervalError, setIntervalError] = useState<AppErrorShape | null>(null);
  useEffect(() => {
    let live = true;
    void api.run.intervals({ runId: run.runId, split: 'test' }).then((r) => {
      if (!live) return;
      if (r.ok) setIntervals(r.value);
      else setIntervalError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, run.runId]);

  const ofMethod = useMemo(
    () => (predictions.all ?? []).filter((p) => p.method === method),
    [predictions.all, method],
  );
  const byImage = useMemo(
    () => predictionsByImage(predictions.all ?? [], classes),
    [predictions.all, classes],
  );
  const inCell = cell
    ? cellPredictions(
        ofMethod.filter((p) => p.split === split),
        classes,
        cell.trueIndex,
        cell.predictedIndex,
      )
    : [];
  // Label issues pool both held-out parts (confident learning needs the numbers); cards say which.
  const issues = useMemo(() => likelyLabelErrors(ofMethod, classes), [ofMethod, classes]);
  const onScreen = [
    ...inCell.slice(0, SHOWN),
    ...predictions.wrong,
    ...issues.slice(0, SHOWN).map((i) => i.prediction),
  ];
  const details = useImageDetails(
    onScreen.map((p) => p.imageId),
    summary.task,
  );
  const items = (list: typeof onScreen): GalleryItem[] =>
    list.map((p) => toGalleryItem(p, classes, byImage, details)).filter((i) => i !== null);
  const given = new Map(onScreen.map((p) => [p.imageId, p.actual]));

  const reason = `review of run ${run.runId} (${method})`;
  const relabel = async (imageId: number, label: string) => {
    const r = await api.catalog.setLabels({
      imageId,
      task: summary.task,
      labels: [label],
      user: ws.user,
      reason,
    });
    if (!r.ok) return setActionError(r.error);
    // Ctrl+Z (the app's one undo) takes back a relabel made here like any other label action.
    if (r.value.batchId !== null)
      undo.push({
        batchId: r.value.batchId,
        description: `image ${imageId} relabelled ${label}`,
        imageIds: [imageId],
      });
    setMarks((all) => ({ ...all, [imageId]: { ...all[imageId], label } }));
    setChanges((c) => c + 1);
    onChanged?.();
  };
  const flag = async (imageId: number) => {
    const r = await api.catalog.setFlag({ imageId, flagged: true, user: ws.user, reason });
    if (!r.ok) return setActionError(r.error);
    if (r.value.batchId !== null)
      undo.push({ batchId: r.value.batchId, description: `image ${imageId} flagged`, imageIds: [imageId] });
    setMarks((all) => ({ ...all, [imageId]: { ...all[imageId], flagged: true } }));
    setChanges((c) => c + 1);
  };
  const actions = (item: GalleryItem) => (
    <ReviewActions
      imageId={item.imageId}
      classes={classes}
      given={given.get(item.imageId) ?? null}
      now={details[item.imageId] ? (details[item.imageId]!.labels[0] ?? null) : undefined}
      mark={marks[item.imageId]}
      onRelabel={(id, label) => void relabel(id, label)}
      onFlag={(id) => void flag(id)}
    />
  );
  const gallery = (
    list: GalleryItem[],
    label: string,
    extra: Partial<Parameters<typeof MisclassificationGallery>[0]> = {},
  ) => (
    <MisclassificationGallery
      items={list}
      classes={classes}
      method={method}
      thumbnailUrl={(id) => media(id, 'thumb')}
      onOpen={setPeek}
      label={label}
      actions={actions}
      {...extra}
    />
  );
  const result = summary.methods[method];
  const error = predictions.error ?? actionError;

  return (
    <section className="panel review" aria-labelledby="review-title">
      <header className="review-header">
        <h2 id="review-title">
          Run {run.runId} · {run.dataset} · {summary.backend}
        </h2>
        {/* The workspace's labeller (status bar: Change) is who relabels and flags here. */}
        <span className="muted" data-testid="review-user">
          Reviewer: {ws.user}
        </span>
      </header>
      <RunFacts run={run} summary={summary} />
      <RunCurvesPanel runId={run.runId} />
      {intervalError ? <ErrorMessage error={intervalError} /> : null}
      <ComparisonTable
        run={summary}
        intervals={intervals}
        selected={method}
        onSelect={(m) => {
          setMethod(m);
          setCell(null);
        }}
      />
      {error ? <ErrorMessage error={error} /> : null}
      {result ? (
        <div className="review-cell">
          <div className="review-matrix">
            <SegmentedButtons
              label="Split of the confusion matrix"
              options={['test', 'validation'] as const}
              value={split}
              onChange={(s) => {
                setSplit(s);
                setCell(null);
              }}
              optionLabel={(s) => (s === 'test' ? 'Test' : 'Validation')}
            />
            <ConfusionMatrix
              classes={classes}
              matrix={result[split].confusion}
              title={`${methodLabels[method]} — ${split}`}
              selected={cell}
              onCellClick={(trueIndex, predictedIndex) => setCell({ trueIndex, predictedIndex })}
            />
            <PerClassTable
              classes={classes}
              metrics={result[split]}
              title={`Per class — ${split === 'test' ? 'test' : 'validation'}`}
            />
          </div>
          <div className="review-cell-images">
            <h3>
              {cell
                ? `True ${classes[cell.trueIndex]}, predicted ${classes[cell.predictedIndex]}: ${inCell.length} image(s)`
                : 'Click a cell to list its images'}
            </h3>
            {cell && predictions.all === null ? <p role="status">Loading predictions…</p> : null}
            {gallery(items(inCell.slice(0, SHOWN)), 'Images of the selected cell', { sort: false })}
            {inCell.length > SHOWN ? <p className="muted">First {SHOWN} shown.</p> : null}
          </div>
        </div>
      ) : null}
      <h3>
        Misclassified by {methodLabels[method]} on the {split} part, most confident first (
        {predictions.wrong.length}
        {predictions.wrong.length >= GALLERY_SIZE ? '+' : ''})
      </h3>
      {gallery(items(predictions.wrong), 'Misclassified images', { sort: false })}
      <h3>Likely label errors, validation and test ({issues.length})</h3>
      <p className="muted">
        Held-out images whose given label {methodLabels[method]} finds least plausible (confident learning):
        check the label before blaming the model.
      </p>
      {issues.length === 0 && predictions.all !== null ? (
        <p className="muted">None: every held-out label is plausible to this method.</p>
      ) : null}
      {gallery(
        issues.slice(0, SHOWN).flatMap((i) => {
          const item = toGalleryItem(i.prediction, classes, byImage, details);
          return item ? [{ ...item, shownClass: i.suggested }] : [];
        }),
        'Likely label errors',
        { sort: false, terms: { truth: 'given', predicted: 'suggested' } },
      )}
      <ReportExport runId={run.runId} />
      {peek !== null ? (
        <ImagePeek
          key={`${peek}-${changes}`}
          imageId={peek}
          task={summary.task}
          onClose={() => setPeek(null)}
          saliency={
            summary.methods.stage1_image || summary.methods.proposed
              ? { runId: run.runId, classes }
              : undefined
          }
        />
      ) : null}
    </section>
  );
};
