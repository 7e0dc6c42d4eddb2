import { useEffect, useRef } from 'react';
import { hotkeyLabel, type Hotkey } from '../hooks/use-hotkeys';

/** The "?" overlay: every shortcut of the current screen, grouped. Escape or "?" closes it. */
export const HelpOverlay = ({ hotkeys, onClose }: { hotkeys: Hotkey[]; onClose: () => void }) => {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const groups = [...new Set(hotkeys.map((h) => h.group))];
  return (
    <div className="overlay" role="presentation" onClick={onClose}>
      <div
        ref={ref}
        className="overlay-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
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
      </div>
    </div>
  );
};
