import { useEffect, useRef } from 'react';

/** One keyboard shortcut: `key` as in KeyboardEvent.key ('1', 'a', 'ArrowRight', '?'), with modifiers. */
export interface Hotkey {
  key: string;
  ctrl?: boolean;
  shift?: boolean;
  alt?: boolean;
  /** Shown in the help overlay. */
  description: string;
  /** Group heading in the help overlay. */
  group: string;
  run: () => void;
  /** Also fire while a text field has focus (e.g. Ctrl+S); default false. */
  inTextFields?: boolean;
  /**
   * Leave the key to a focused button, link or select (Enter and Space activate them): the
   * shortcut fires only when no such control has the focus; default false.
   */
  notOnControls?: boolean;
}

const isTextField = (target: EventTarget | null): boolean => {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  const tag = el.tagName.toLowerCase();
  return (
    tag === 'textarea' ||
    tag === 'select' ||
    (tag === 'input' && !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type)) ||
    el.isContentEditable
  );
};

const isControl = (target: EventTarget | null): boolean => {
  const el = target as HTMLElement | null;
  return Boolean(el?.closest?.('button, a[href], select, summary, [role="button"]'));
};

/** True when `event` is this hotkey (Ctrl and Cmd count the same, so shortcuts work on macOS). */
export const matchesHotkey = (
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
  hotkey: Hotkey,
): boolean => {
  const ctrl = event.ctrlKey || event.metaKey;
  if (Boolean(hotkey.ctrl) !== ctrl || Boolean(hotkey.alt) !== event.altKey) return false;
  // Shift is implied by characters like '?'; only compare it for keys where it is a real choice.
  if (hotkey.shift !== undefined && hotkey.shift !== event.shiftKey) return false;
  return event.key.toLowerCase() === hotkey.key.toLowerCase();
};

const keyNames: Readonly<Record<string, string>> = {
  ArrowRight: '→',
  ArrowLeft: '←',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
  ' ': 'Space',
};

/** Human label of a shortcut, e.g. "Ctrl+Z", "Shift+→". */
export const hotkeyLabel = (hotkey: Pick<Hotkey, 'key' | 'ctrl' | 'shift' | 'alt'>): string =>
  [
    hotkey.ctrl ? 'Ctrl' : '',
    hotkey.alt ? 'Alt' : '',
    hotkey.shift ? 'Shift' : '',
    keyNames[hotkey.key] ?? (hotkey.key.length === 1 ? hotkey.key.toUpperCase() : hotkey.key),
  ]
    .filter(Boolean)
    .join('+');

/**
 * Binds shortcuts on the window while the component is mounted. The latest `hotkeys` array is
 * always used, so callers may pass a fresh array each render. Typing in a text field never
 * triggers a plain-key shortcut.
 */
export const useHotkeys = (hotkeys: Hotkey[], enabled = true): void => {
  const latest = useRef(hotkeys);
  latest.current = hotkeys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      const inText = isTextField(event.target);
      const onControl = isControl(event.target);
      const hit = latest.current.find(
        (h) => matchesHotkey(event, h) && (!inText || h.inTextFields) && !(onControl && h.notOnControls),
      );
      if (!hit) return;
      event.preventDefault();
      hit.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
};
