import { useState } from 'react';
import type { AppErrorShape, LabelTask } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useTasks } from '../catalog/catalog-data';
import { DatasetBar } from '../catalog/dataset-bar';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { shortcutForClass } from '../labeling/class-shortcuts';
import { useClassColours } from './class-colours';
import { parseClassList } from './class-list-text';
import { TaskChanges } from './task-changes';
import { TaskClassEditor } from './task-class-editor';
import { TaskRaters } from './task-raters';

/**
 * One task: its classes in order with key, parent and colour. "Edit classes" renames, reorders,
 * recolours, adds and removes in one logged change; more classes can also be appended.
 */
const TaskCard = ({
  task,
  onAppend,
  onEdited,
}: {
  task: LabelTask;
  onAppend: (text: string) => Promise<boolean>;
  onEdited: () => void;
}) => {
  const { colourOf } = useClassColours(task);
  const [more, setMore] = useState('');
  const [editing, setEditing] = useState(false);
  const [changes, setChanges] = useState(0);
  return (
    <section className="panel task-card" aria-label={`Task ${task.name}`}>
      <h3>
        {task.name}{' '}
        <span className="badge off">{task.kind === 'multi' ? 'multi-label' : 'single-label'}</span>{' '}
        {editing ? null : (
          <button type="button" className="button" onClick={() => setEditing(true)}>
            Edit classes
          </button>
        )}
      </h3>
      {editing ? (
        <TaskClassEditor
          task={task}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setChanges((n) => n + 1);
            onEdited();
          }}
        />
      ) : null}
      <table className="table" aria-label={`Classes of ${task.name}`}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Class</th>
            <th scope="col">Parent</th>
            <th scope="col">Colour</th>
          </tr>
        </thead>
        <tbody>
          {task.classes.map((c, i) => (
            <tr key={c.name}>
              <td>{shortcutForClass(i) ? <kbd>{shortcutForClass(i)!.toUpperCase()}</kbd> : '—'}</td>
              <th scope="row">{c.name}</th>
              <td>{c.parent ?? '—'}</td>
              <td>
                <span
                  className="swatch"
                  data-testid={`colour-${c.name}`}
                  style={{ background: colourOf(c.name) }}
                  title={colourOf(c.name)}
                />{' '}
                <span className="muted small">{c.colour ?? 'default'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="form-row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await onAppend(more)) setMore('');
        }}
      >
        <label className="field grow">
          <span>Add classes (one per line; parent &gt; child for a hierarchy)</span>
          <textarea rows={2} value={more} onChange={(e) => setMore(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={!more.trim()}>
          Add
        </button>
      </form>
      {task.kind === 'single' ? <TaskRaters task={task} onChanged={onEdited} /> : null}
      <TaskChanges task={task} refreshKey={changes} />
    </section>
  );
};

/**
 * Label tasks of the dataset: create one (single- or multi-label, classes with optional
 * hierarchy), append classes to an existing one, or edit its classes (names, order, colours,
 * removals). Colours are stored in the catalog with each class.
 */
export const TasksScreen = ({ onImport }: { onImport: () => void }) => {
  const api = useApi();
  const ws = useWorkspace();
  const [tasks, reload] = useTasks();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'single' | 'multi'>('single');
  const [classes, setClasses] = useState('');
  const [error, setError] = useState<AppErrorShape | null>(null);

  const define = async (taskName: string, taskKind: 'single' | 'multi', text: string): Promise<boolean> => {
    if (ws.datasetId === null) return false;
    const result = await api.catalog.defineTask({
      datasetId: ws.datasetId,
      name: taskName,
      kind: taskKind,
      classes: parseClassList(text),
    });
    if (!result.ok) {
      setError(result.error);
      return false;
    }
    setError(null);
    reload();
    ws.bump();
    return true;
  };

  return (
    <section className="screen tasks-screen" aria-labelledby="tasks-title">
      <header className="screen-header">
        <h2 id="tasks-title">Label tasks</h2>
        <DatasetBar onImport={onImport} />
      </header>
      {error ? <ErrorMessage error={error} /> : null}
      {tasks.status === 'error' ? <ErrorMessage error={tasks.error} onRetry={reload} /> : null}
      <div className="task-list">
        {tasks.status === 'ok'
          ? tasks.value.map((t) => (
              <TaskCard
                key={t.id}
                task={t}
                onAppend={(text) => define(t.name, t.kind, text)}
                onEdited={() => {
                  reload();
                  ws.bump();
                }}
              />
            ))
          : null}
      </div>
      <form
        className="panel form"
        aria-label="New label task"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await define(name.trim(), kind, classes)) {
            setName('');
            setClasses('');
          }
        }}
      >
        <h3>New task</h3>
        <div className="form-row">
          <label className="field">
            <span>Name</span>
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          <label className="field">
            <span>Kind</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as 'single' | 'multi')}>
              <option value="single">Single-label (one class per image)</option>
              <option value="multi">Multi-label (any number of classes)</option>
            </select>
          </label>
        </div>
        <label className="field">
          <span>
            Classes, one per line (parent &gt; child for a hierarchy, e.g. brain &gt; trans-thalamic)
          </span>
          <textarea rows={6} value={classes} onChange={(e) => setClasses(e.target.value)} />
        </label>
        <div className="form-row">
          <button type="submit" className="button primary" disabled={!name.trim() || ws.datasetId === null}>
            Create task
          </button>
        </div>
      </form>
    </section>
  );
};
