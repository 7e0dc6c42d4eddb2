import { hotkeyLabel, type Hotkey } from '../hooks/use-hotkeys';
import { ModalDialog } from './modal-dialog';

/**
 * The "?" sheet: every shortcut of the current screen, grouped. Escape or "?" closes it and does
 * nothing else (the sheet is a {@link ModalDialog}: its keys never reach the screen).
 */
export const HelpOverlay = ({ hotkeys, onClose }: { hotkeys: Hotkey[]; onClose: () => void }) => {
  const groups = [...new Set(hotkeys.map((h) => h.group))];
  return (
    <ModalDialog labelledBy="help-title" onClose={onClose} closeKeys={['?']}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      {groups.map((group) => (
        <section key={group}>
          <h3>{group}</h3>
          <dl className="shortcuts">
            {hotkeys
              .filter((h) => h.group === group)
              .map((h) => (
                <div key={`${group}-${hotkeyLabel(h)}-${h.description}`}>
                  <dt>
                    <kbd>{hotkeyLabel(h)}</kbd>
                  </dt>
                  <dd>{h.description}</dd>
                </div>
              ))}
          </dl>
        </section>
      ))}
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
    </ModalDialog>
  );
};
