import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/** Open dialogs; the app behind them is inert (no focus, no pointer, hidden from AT) while any is. */
let open = 0;
const appRoot = (): HTMLElement | null => document.getElementById('root');

/**
 * The one modal of the app: a dialog over a dimmed screen that owns the keyboard while it is open.
 * Every key pressed inside it stops there (the screen's shortcuts never see it), keys pressed
 * while focus is elsewhere are swallowed before any shortcut runs, Escape (and `closeKeys`, e.g.
 * "?" for the shortcut sheet) closes it and nothing else, a click on the backdrop closes it, and
 * focus returns to where it was when the dialog closes. It is drawn over the app (a portal on
 * document.body) and makes the app behind it inert while open.
 */
export const ModalDialog = ({
  labelledBy,
  onClose,
  className,
  closeKeys = [],
  children,
}: {
  /** Id of the dialog's heading. */
  labelledBy: string;
  onClose: () => void;
  className?: string;
  /** Keys besides Escape that close the dialog (plain keys, no modifiers). */
  closeKeys?: readonly string[];
  children: ReactNode;
}) => {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  const keys = useRef(closeKeys);
  keys.current = closeKeys;

  // A layout effect: the dialog owns the keyboard from the moment it is on screen.
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    // A field with autoFocus inside keeps the focus; otherwise the dialog itself takes it.
    if (!ref.current?.contains(document.activeElement)) ref.current?.focus();
    // Keys aimed outside the dialog (focus left it, e.g. after a click on the backdrop's edge):
    // seen first, in the capture phase, and kept from every other listener.
    const onKey = (event: KeyboardEvent): void => {
      if (event.target instanceof Node && ref.current?.contains(event.target)) return;
      event.stopPropagation();
      event.preventDefault();
      if (event.key === 'Escape' || keys.current.includes(event.key)) close.current();
      else ref.current?.focus();
    };
    window.addEventListener('keydown', onKey, true);
    const root = appRoot();
    open++;
    if (root) root.inert = true;
    return () => {
      window.removeEventListener('keydown', onKey, true);
      open--;
      if (root && open === 0) root.inert = false;
      if (before && before.isConnected) before.focus();
    };
  }, []);

  return createPortal(
    <div className="overlay" role="presentation" onClick={() => close.current()}>
      <div
        ref={ref}
        className={className ? `overlay-panel ${className}` : 'overlay-panel'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // The dialog consumes its own keys: nothing behind it reacts to them.
          e.stopPropagation();
          const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
          const typing = (e.target as HTMLElement).closest('input, textarea, select') !== null;
          if (e.key === 'Escape' || (plain && !typing && keys.current.includes(e.key))) {
            e.preventDefault();
            close.current();
          }
        }}
      >
        {children}
      </div>
    </div>,
    document.body,
  );
};
