import { forwardRef, useEffect, useState } from 'react';
import { MAX_NOTE_CHARS, type Result } from '../../shared/contract/index';
import { readDraft, useAutosave } from '../hooks/use-autosave';

const statusText = {
  idle: '',
  pending: 'Unsaved changes…',
  saving: 'Saving…',
  saved: 'Saved',
} as const;

/**
 * The clinical note of one image, autosaved shortly after typing stops (and on leaving the
 * image). A draft left by a crash or a lost connection is restored and saved. Mount it with
 * `key={imageId}` so switching images flushes the previous note first. Escape hands the keyboard
 * back to the labeling shortcuts.
 */
export const NoteEditor = forwardRef<
  HTMLTextAreaElement,
  {
    imageId: number;
    saved: string;
    save: (text: string) => Promise<Result<unknown>>;
    onSaved?: () => void;
    onEscape?: () => void;
    storage?: Storage;
  }
>(function NoteEditor({ imageId, saved, save, onSaved, onEscape, storage = window.localStorage }, ref) {
  const key = `note.${imageId}`;
  const [draft] = useState(() => readDraft(storage, key));
  const [text, setText] = useState(() => (draft !== null && draft !== saved ? draft : saved));
  const { status, flush } = useAutosave({ key, value: text, savedValue: saved, save, storage });
  useEffect(() => {
    if (status.state === 'saved') onSaved?.();
    // Tell the parent once per completed save.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status]);
  return (
    <section className="side-section note-editor" aria-label="Clinical note editor">
      <h3>
        <label htmlFor={`note-${imageId}`}>Clinical note</label>
        <span
          className={`save-status ${status.state}`}
          role="status"
          aria-live="polite"
          data-testid="note-status"
        >
          {status.state === 'error' ? `Not saved: ${status.error.message}` : statusText[status.state]}
        </span>
      </h3>
      {draft !== null && draft !== saved ? (
        <p className="muted small">Restored an unsaved draft of this note.</p>
      ) : null}
      <textarea
        id={`note-${imageId}`}
        ref={ref}
        value={text}
        rows={6}
        maxLength={MAX_NOTE_CHARS}
        spellCheck
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void flush()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            void flush();
            onEscape?.();
          }
        }}
      />
    </section>
  );
});
