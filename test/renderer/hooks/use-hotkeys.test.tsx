// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HelpOverlay } from '../../../renderer/components/help-overlay';
import { hotkeyLabel, matchesHotkey, useHotkeys, type Hotkey } from '../../../renderer/hooks/use-hotkeys';

afterEach(cleanup);

const Harness = ({ hotkeys }: { hotkeys: Hotkey[] }) => {
  useHotkeys(hotkeys);
  return <textarea aria-label="note" />;
};

describe('hotkeys', () => {
  it('match keys with Ctrl or Cmd, and label them', () => {
    const undo: Hotkey = { key: 'z', ctrl: true, description: 'Undo', group: 'Edit', run: () => {} };
    const base = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };
    expect(matchesHotkey({ ...base, key: 'z', ctrlKey: true }, undo)).toBe(true);
    expect(matchesHotkey({ ...base, key: 'Z', metaKey: true }, undo)).toBe(true);
    expect(matchesHotkey({ ...base, key: 'z' }, undo)).toBe(false);
    expect(hotkeyLabel(undo)).toBe('Ctrl+Z');
    expect(hotkeyLabel({ key: 'ArrowRight' })).toBe('→');
    expect(hotkeyLabel({ key: 'ArrowLeft', shift: true })).toBe('Shift+←');
  });

  it('fire on the window but not while typing in a text field, unless allowed', () => {
    const label = vi.fn();
    const save = vi.fn();
    render(
      <Harness
        hotkeys={[
          { key: '1', description: 'Class 1', group: 'Label', run: label },
          { key: 's', ctrl: true, description: 'Save', group: 'Edit', run: save, inTextFields: true },
        ]}
      />,
    );
    fireEvent.keyDown(window, { key: '1' });
    expect(label).toHaveBeenCalledTimes(1);
    const note = screen.getByLabelText('note');
    fireEvent.keyDown(note, { key: '1' });
    expect(label).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(note, { key: 's', ctrlKey: true });
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('lists every shortcut by group in the help overlay, which Escape closes', () => {
    const onClose = vi.fn();
    render(
      <HelpOverlay
        onClose={onClose}
        hotkeys={[
          { key: '1', description: 'Label as head', group: 'Labels', run: () => {} },
          { key: 'z', ctrl: true, description: 'Undo last change', group: 'Editing', run: () => {} },
        ]}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Label as head');
    expect(dialog.textContent).toContain('Ctrl+Z');
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'Labels',
      'Editing',
    ]);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});
