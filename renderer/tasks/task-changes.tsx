import type { LabelTask } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { formatWhen } from '../labeling/history-labels';
import { useQuery } from '../use-query';

const names = (classes: ReadonlyArray<{ name: string }>): string =>
  classes.map((c) => c.name).join(', ') || '—';

/** The latest edits of a task's classes (catalog:taskHistory): who, when, why, before → after. */
export const TaskChanges = ({ task, refreshKey }: { task: LabelTask; refreshKey: number }) => {
  const api = useApi();
  const [changes] = useQuery(
    () => api.catalog.taskHistory({ datasetId: task.datasetId, task: task.name, limit: 5 }),
    `task-history:${task.id}:${refreshKey}`,
  );
  if (changes.status !== 'ok' || changes.value.length === 0) return null;
  return (
    <details className="task-changes">
      <summary>Class changes ({changes.value.length})</summary>
      <ol className="history" data-testid={`task-history-${task.name}`}>
        {changes.value.map((c) => (
          <li key={c.id}>
            <div className="history-meta">
              <time dateTime={c.at}>{formatWhen(c.at)}</time> <span className="who">{c.user}</span>
            </div>
            <div className="history-change">
              <span className="from">{names(c.from)}</span> <span aria-label="to">→</span>{' '}
              <span className="to">{names(c.to)}</span>
            </div>
            {c.reason ? <div className="muted small">{c.reason}</div> : null}
          </li>
        ))}
      </ol>
    </details>
  );
};
