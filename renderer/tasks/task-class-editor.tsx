import { useState } from 'react';
import type { AppErrorShape, LabelTask } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { classColour, defaultColour } from './class-colours';

/** One row of the editor: `was` is the class's name in the catalog (null for a new class). */
interface Row {
  key: number;
  was: string | null;
  name: string;
  parentKey: number | null;
  colour: string | null;
}

const rowsOf = (task: LabelTask): Row[] => {
  const keyOf = new Map(task.classes.map((c, i) => [c.name, i]));
  return task.classes.map((c, i) => ({
    key: i,
    was: c.name,
    name: c.name,
    parentKey: c.parent === null ? null : (keyOf.get(c.parent) ?? null),
    colour: c.colour,
  }));
};

const CLEAR = '\u0000clear';

/**
 * Edits the class list of a task in one save: rename, reorder (↑/↓), recolour, add and remove.
 * A removed class asks where its labels go (another class, or cleared); left unanswered, the
 * catalog refuses the save with CONFLICT if the class still labels images, and says how many.
 */
export const TaskClassEditor = ({
  task,
  onSaved,
  onCancel,
}: {
  task: LabelTask;
  onSaved: (task: LabelTask) => void;
  onCancel: () => void;
}) => {
  const api = useApi();
  const ws = useWorkspace();
  const [rows, setRows] = useState<Row[]>(() => rowsOf(task));
  const [reassign, setReassign] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [saving, setSaving] = useState(false);
  const removed = task.classes.filter((c) => !rows.some((r) => r.was === c.name));
  const patch = (key: number, change: Partial<Row>) =>
    setRows((list) => list.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const move = (index: number, by: number) =>
    setRows((list) => {
      const next = [...list];
      const [row] = next.splice(index, 1);
      next.splice(index + by, 0, row!);
      return next;
    });

  const save = async (): Promise<void> => {
    const names = new Map(rows.map((r) => [r.key, r.name.trim()]));
    const targets: Record<string, string | null> = {};
    for (const c of removed) {
      const target = reassign[c.name];
      if (target) targets[c.name] = target === CLEAR ? null : target;
    }
    setSaving(true);
    const result = await api.catalog.editTask({
      datasetId: task.datasetId,
      task: task.name,
      classes: rows.map((r) => ({
        name: r.name.trim(),
        ...(r.was !== null ? { was: r.was } : {}),
        parent: r.parentKey === null ? null : (names.get(r.parentKey) ?? null),
        colour: r.colour,
      })),
      reassign: targets,
      user: ws.user,
      reason: reason.trim(),
    });
    setSaving(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    onSaved(result.value);
  };

  return (
    <form
      className="task-editor"
      aria-label={`Edit classes of ${task.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <ol className="task-editor-rows">
        {rows.map((r, i) => (
          <li key={r.key} className="form-row">
            <input
              type="text"
              value={r.name}
              required
              aria-label={`Name of class ${i + 1}`}
              onChange={(e) => patch(r.key, { name: e.target.value })}
            />
            <input
              type="color"
              value={r.colour ?? (r.was !== null ? classColour(task, r.was) : defaultColour(i))}
              aria-label={`Colour of class ${i + 1}`}
              onChange={(e) => patch(r.key, { colour: e.target.value })}
            />
            <button
              type="button"
              className="button"
              aria-label={`Move class ${i + 1} up`}
              disabled={i === 0}
              onClick={() => move(i, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="button"
              aria-label={`Move class ${i + 1} down`}
              disabled={i === rows.length - 1}
              onClick={() => move(i, 1)}
            >
              ↓
            </button>
            <button
              type="button"
              className="button"
              aria-label={`Remove class ${i + 1}`}
              disabled={rows.length === 1}
              onClick={() =>
                setRows((list) =>
                  list
                    .filter((x) => x.key !== r.key)
                    .map((x) => (x.parentKey === r.key ? { ...x, parentKey: null } : x)),
                )
              }
            >
              Remove
            </button>
            {r.was !== null && r.was !== r.name.trim() ? (
              <span className="muted small">was {r.was}</span>
            ) : null}
          </li>
        ))}
      </ol>
      {removed.map((c) => (
        <label key={c.name} className="field">
          <span>Labels of removed class {c.name} go to</span>
          <select
            value={reassign[c.name] ?? ''}
            onChange={(e) => setReassign((m) => ({ ...m, [c.name]: e.target.value }))}
          >
            <option value="">— refuse if it labels images —</option>
            <option value={CLEAR}>nothing (clear those labels)</option>
            {rows.map((r) => (
              <option key={r.key} value={r.name.trim()}>
                {r.name.trim()}
              </option>
            ))}
          </select>
        </label>
      ))}
      <div className="form-row">
        <button
          type="button"
          className="button"
          onClick={() =>
            setRows((list) => [
              ...list,
              {
                key: Math.max(-1, ...list.map((x) => x.key)) + 1,
                was: null,
                name: '',
                parentKey: null,
                colour: null,
              },
            ])
          }
        >
          Add class
        </button>
        <label className="field grow">
          <span>Reason for the change</span>
          <input type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" className="button primary" disabled={saving}>
          Save classes
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
    </form>
  );
};
