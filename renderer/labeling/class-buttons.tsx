import type { LabelTask } from '../../shared/contract/index';
import { percent } from '../assistant/assistant-text';
import { shortcutForClass } from './class-shortcuts';

/**
 * The classes of the task as toggle buttons with their shortcut keys; children of a hierarchy
 * are indented under their parent. Pressed state mirrors the image's current labels. The
 * assistant's suggested class (if any) is marked with its probability and the accept key.
 */
export const ClassButtons = ({
  task,
  current,
  colourOf,
  onPress,
  busy,
  suggestion = null,
  acceptKey = null,
}: {
  task: LabelTask;
  current: readonly string[];
  colourOf: (name: string) => string;
  onPress: (name: string) => void;
  busy: boolean;
  /** The assistant's top class for this image and its probability. */
  suggestion?: { label: string; p: number } | null;
  /** The key that accepts the suggestion, shown on the suggested button. */
  acceptKey?: string | null;
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
        const suggested = suggestion?.label === c.name ? suggestion : null;
        return (
          <button
            key={c.name}
            type="button"
            className={`class-button${on ? ' on' : ''}${c.parent ? ' child' : ''}${suggested ? ' suggested' : ''}`}
            aria-pressed={on}
            data-suggested={suggested ? 'true' : undefined}
            aria-keyshortcuts={key ?? undefined}
            onClick={() => onPress(c.name)}
            style={{ borderLeftColor: colourOf(c.name) }}
          >
            {key ? <kbd>{key.toUpperCase()}</kbd> : <span className="kbd-gap" />}
            <span className="class-name">{c.name}</span>
            {c.parent ? <span className="muted small">{c.parent}</span> : null}
            {suggested ? (
              <span className="suggestion-p" data-testid="suggestion-p">
                <span className="sr-only">suggested </span>
                {percent(suggested.p)}
                {acceptKey ? <kbd>{acceptKey}</kbd> : null}
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  </section>
);
