import { useState } from 'react';
import { ModalDialog } from '../components/modal-dialog';
import { useWorkspace } from './workspace';

/**
 * Asks for the labeller's name: on first use of a workspace (the catalog knows no name yet; it
 * cannot be dismissed without one) or when "Change" is pressed in the status bar. The name is
 * remembered in the workspace's catalog and recorded in every change's history.
 */
export const UserNameDialog = ({ onClose }: { onClose?: () => void }) => {
  const ws = useWorkspace();
  const [name, setName] = useState(ws.user);
  const first = !ws.user;
  const save = (): void => {
    if (!name.trim()) return;
    ws.setUser(name.trim());
    onClose?.();
  };
  return (
    <ModalDialog labelledBy="user-name-title" onClose={() => (first ? undefined : onClose?.())}>
      <h2 id="user-name-title">{first ? 'Who is labelling?' : 'Change the labeller'}</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <p className="muted small">
          Your name goes into the history of every label, note and flag you change in this workspace. It is
          remembered here; change it from the status bar.
        </p>
        <label className="field">
          <span>Your name</span>
          <input
            type="text"
            value={name}
            required
            maxLength={100}
            autoFocus
            autoComplete="name"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <div className="form-row">
          <button type="submit" className="button primary" disabled={!name.trim()}>
            Save
          </button>
          {first ? null : (
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </ModalDialog>
  );
};

/** Status-bar entry: who changes are recorded for, with a button to change it. */
export const LabellerStatus = ({ onChange }: { onChange: () => void }) => {
  const ws = useWorkspace();
  return (
    <span data-testid="status-labeller" className="status-labeller">
      Labeller: {ws.user || '—'}{' '}
      <button type="button" className="link-button" onClick={onChange}>
        Change
      </button>
    </span>
  );
};
