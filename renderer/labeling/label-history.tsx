import type { HistoryEntry } from '../../shared/contract/index';
import { acceptedText } from '../assistant/assistant-text';
import { describeValue, formatWhen, newestFirst } from './history-labels';

const originText: Record<HistoryEntry['origin'], string> = { import: 'import', edit: '', undo: 'undo' };

/**
 * The change history of one image (labels or notes): who, when, from → to, and why. A label that
 * was an accepted assistant suggestion says so, with the model and its probability.
 */
export const ChangeHistory = ({
  entries,
  kind,
  title,
}: {
  entries: readonly HistoryEntry[];
  kind: HistoryEntry['kind'];
  title: string;
}) => {
  const rows = newestFirst(entries).filter((e) => e.kind === kind);
  return (
    <section className="side-section" aria-label={title}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">No changes yet.</p>
      ) : (
        <ol className="history" data-testid={`${kind}-history`}>
          {rows.map((e) => (
            <li key={e.id}>
              <div className="history-meta">
                <time dateTime={e.at}>{formatWhen(e.at)}</time> <span className="who">{e.user}</span>
                {e.task && kind === 'label' ? <span className="muted"> · {e.task}</span> : null}
                {originText[e.origin] ? <span className="badge off">{originText[e.origin]}</span> : null}
                {e.suggestion ? (
                  <span className="badge suggestion" data-testid="accepted-suggestion">
                    {acceptedText(e.suggestion)}
                  </span>
                ) : null}
              </div>
              <div className="history-change">
                <span className="from">{describeValue(e.from)}</span> <span aria-label="to">→</span>{' '}
                <span className="to">{describeValue(e.to)}</span>
              </div>
              {e.reason ? <div className="muted small">{e.reason}</div> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
