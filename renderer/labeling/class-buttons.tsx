import type { LabelTask } from '../../shared/contract/index';
import { shortcutForClass } from './class-shortcuts';

/**
 * The classes of the task as toggle buttons with their shortcut keys; children of a hierarchy
 * are indented under their parent. Pressed state mirrors the image's current labels.
 */
export const ClassButtons = ({
  task,
  current,
  colourOf,
  onPress,
  busy,
}: {
  task: LabelTask;
  current: readonly string[];
  colourOf: (name: string) => string;
  onPress: (name: string) => void;
  busy: boolean;
}) => (
  <section className="side-section" aria-label="Classes">
    <h3>
      {task.name}{' '}
      <span className="muted">{task.kind === 'multi' ? 'multi-label: keys toggle' : 'single-label'}</span>
    </h3>
    <div className="class-buttons" role="group" aria-label={`Classes of ${task.name}`} aria-busy={busy}>
      {task.classes.map((c, i) => {
        const key = shortcutForClass(i);
        const on = current.includes(c.name);
        return (
          <button
            key={c.name}
            type="button"
            className={`class-button${on ? ' on' : ''}${c.parent ? ' child' : ''}`}
            aria-pressed={on}
            aria-keyshortcuts={key ?? undefined}
            onClick={() => onPress(c.name)}
            style={{ borderLeftColor: colourOf(c.name) }}
          >
            {key ? <kbd>{key.toUpperCase()}</kbd> : <span className="kbd-gap" />}
            <span className="class-name">{c.name}</span>
            {c.parent ? <span className="muted small">{c.parent}</span> : null}
          </button>
        );
      })}
    </div>
  </section>
);
