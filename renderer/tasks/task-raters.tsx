import { useState, type KeyboardEvent } from 'react';
import type { AdjudicationItem, AppErrorShape, LabelTask } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useMediaUrl } from '../catalog/media-url';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { shortcutForClass } from '../labeling/class-shortcuts';
import { useCall } from '../use-call';

const kappaText = (k: number | null): string => (k === null ? 'undefined' : k.toFixed(3));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Inter-rater agreement of a task: the statistic, kappa, observed vs chance, and per class. */
export const AgreementPanel = ({ task }: { task: LabelTask }) => {
  const api = useApi();
  const [state] = useCall(() => api.catalog.agreement({ datasetId: task.datasetId, task: task.name }));
  if (state.status === 'loading') return null;
  if (state.status === 'error') return <ErrorMessage error={state.error} />;
  const a = state.value;
  return (
    <section className="agreement" aria-label={`Agreement of ${task.name}`}>
      <h4>Agreement</h4>
      <p data-testid="agreement-summary">
        {a.method === 'cohen' ? "Cohen's" : "Fleiss'"} kappa <strong>{kappaText(a.kappa)}</strong> over{' '}
        {a.items} image(s) rated at least twice by {a.people.length} people (observed {pct(a.observed)},
        chance {pct(a.expected)}); {a.unanimous} unanimous, {a.incomplete} rated once.
      </p>
      <table className="table compact" aria-label={`Agreement per class of ${task.name}`}>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">{a.method === 'cohen' ? 'Kappa (one vs rest)' : 'Kappa (category-wise)'}</th>
          </tr>
        </thead>
        <tbody>
          {a.perClass.map((c) => (
            <tr key={c.label}>
              <th scope="row">{c.label}</th>
              <td>{kappaText(c.kappa)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

/**
 * The adjudication queue of a task (reviewers): each disagreement with every rater's label; one
 * key per class (the labeling keys) decides the selected image, ↑/↓ move. Images with fewer labels
 * than asked are counted below. A labeler is told that only reviewers decide.
 */
export const AdjudicationView = ({ task, onDecided }: { task: LabelTask; onDecided: () => void }) => {
  const api = useApi();
  const [me, reloadMe] = useCall(() => api.catalog.whoAmI({}));
  const [error, setError] = useState<AppErrorShape | null>(null);
  if (me.status !== 'ok') return me.status === 'error' ? <ErrorMessage error={me.error} /> : null;
  if (me.value.role === 'reviewer') return <ReviewerQueue task={task} onDecided={onDecided} />;
  return (
    <section className="adjudication" aria-label={`Adjudication of ${task.name}`}>
      <h4>Adjudication</h4>
      <p className="muted">
        Only a reviewer decides disagreements; this workstation is a labeler
        {me.value.roleSource === 'database' ? ' (its database role)' : ''}.
      </p>
      {me.value.roleSource === 'setting' ? (
        <button
          type="button"
          className="button"
          onClick={async () => {
            const r = await api.catalog.setRole({ role: 'reviewer' });
            if (!r.ok) setError(r.error);
            reloadMe();
          }}
        >
          Make this workstation a reviewer
        </button>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
};

const ReviewerQueue = ({ task, onDecided }: { task: LabelTask; onDecided: () => void }) => {
  const api = useApi();
  const ws = useWorkspace();
  const mediaUrl = useMediaUrl();
  const [queue, reloadQueue] = useCall(() =>
    api.catalog.adjudicationQueue({ datasetId: task.datasetId, task: task.name, limit: 500 }),
  );
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<AppErrorShape | null>(null);
  if (queue.status === 'error') return <ErrorMessage error={queue.error} />;
  if (queue.status !== 'ok') return null;
  const q = queue.value;
  const items = q.disagreements;
  const current = Math.min(selected, Math.max(items.length - 1, 0));
  const decide = async (item: AdjudicationItem, label: string) => {
    const r = await api.catalog.adjudicate({
      imageId: item.imageId,
      task: task.name,
      label,
      user: ws.user,
      reason: '',
    });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    reloadQueue();
    onDecided();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const item = items[current];
    if (!item) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setSelected(Math.max(0, Math.min(items.length - 1, current + (e.key === 'ArrowDown' ? 1 : -1))));
      return;
    }
    const index = q.classes.findIndex((_, i) => shortcutForClass(i) === e.key.toLowerCase());
    if (index >= 0) {
      e.preventDefault();
      void decide(item, q.classes[index]!);
    }
  };
  return (
    <section className="adjudication" aria-label={`Adjudication of ${task.name}`}>
      <h4>Adjudication</h4>
      <p data-testid="adjudication-counts">
        {q.disagreementTotal} disagreement(s); {q.incompleteTotal} image(s) with fewer than {q.raters} labels;{' '}
        {q.unrated} unrated; {q.decided} decided.
      </p>
      {error ? <ErrorMessage error={error} /> : null}
      {items.length === 0 ? (
        <p className="muted">No disagreements to decide.</p>
      ) : (
        <table
          className="table compact"
          aria-label={`Disagreements of ${task.name}`}
          tabIndex={0}
          onKeyDown={onKeyDown}
        >
          <thead>
            <tr>
              <th scope="col">Image</th>
              <th scope="col">Raters</th>
              <th scope="col">Decide</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => (
              <tr key={item.imageId} aria-selected={i === current} onClick={() => setSelected(i)}>
                <th scope="row">
                  <img
                    className="adjudication-thumb"
                    src={mediaUrl(item.imageId, 'thumb')}
                    alt=""
                    width={96}
                    height={96}
                    loading="lazy"
                  />{' '}
                  {item.file}
                </th>
                <td>{item.ratings.map((r) => `${r.rater}: ${r.label}`).join(', ')}</td>
                <td>
                  {q.classes.map((c, ci) => (
                    <button
                      key={c}
                      type="button"
                      className="button small"
                      aria-label={`Decide ${c} for ${item.file}`}
                      onClick={() => void decide(item, c)}
                    >
                      {shortcutForClass(ci) ? <kbd>{shortcutForClass(ci)!.toUpperCase()}</kbd> : null} {c}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

/**
 * The raters setting of a single-label task (independent labels asked per image) and, when more
 * than one is asked, its agreement and adjudication queue.
 */
export const TaskRaters = ({ task, onChanged }: { task: LabelTask; onChanged: () => void }) => {
  const api = useApi();
  const raters = task.raters ?? 1;
  const [k, setK] = useState(String(raters));
  const [decisions, setDecisions] = useState(0);
  const [error, setError] = useState<AppErrorShape | null>(null);
  return (
    <div className="task-raters" role="group" aria-label={`Raters of ${task.name}`}>
      <form
        className="form-row"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await api.catalog.setRaters({
            datasetId: task.datasetId,
            task: task.name,
            raters: Number(k),
          });
          if (!r.ok) setError(r.error);
          else {
            setError(null);
            onChanged();
          }
        }}
      >
        <label className="field">
          <span>Raters per image</span>
          <input type="number" min={1} max={20} value={k} onChange={(e) => setK(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={Number(k) === raters}>
          Set raters
        </button>
      </form>
      {error ? <ErrorMessage error={error} /> : null}
      {raters > 1 ? (
        <>
          <AgreementPanel key={decisions} task={task} />
          <AdjudicationView
            task={task}
            onDecided={() => {
              setDecisions((n) => n + 1);
              onChanged();
            }}
          />
        </>
      ) : null}
    </div>
  );
};
