// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModalDialog } from '../../../renderer/components/modal-dialog';
import { useHotkeys } from '../../../renderer/hooks/use-hotkeys';

afterEach(cleanup);

/** A screen with shortcuts on the window (like Labeling: Escape leaves, 1 labels) and a modal. */
const Screen = ({ onBack, onLabel }: { onBack: () => void; onLabel: () => void }) => {
  const [open, setOpen] = useState(true);
  // Always bound, even while the modal is open: the modal alone must keep its keys from them.
  useHotkeys([
    { key: 'Escape', group: 'g', description: 'back', run: onBack },
    { key: '1', group: 'g', description: 'label', run: onLabel },
  ]);
  return (
    <>
      <button type="button">behind</button>
      {open ? (
        <ModalDialog labelledBy="t" onClose={() => setOpen(false)} closeKeys={['?']}>
          <h2 id="t">Sheet</h2>
          <input aria-label="typed" />
        </ModalDialog>
      ) : null}
    </>
  );
};

describe('ModalDialog', () => {
  it('consumes its own keys: Escape closes the dialog and nothing else, class keys do not reach the screen', () => {
    const onBack = vi.fn();
    const onLabel = vi.fn();
    render(<Screen onBack={onBack} onLabel={onLabel} />);
    const dialog = screen.getByRole('dialog', { name: 'Sheet' });
    expect(document.activeElement).toBe(dialog);
    fireEvent.keyDown(dialog, { key: '1' });
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'typed' }), { key: '?' });
    expect(screen.queryByRole('dialog')).not.toBeNull(); // "?" typed into a field is text, not "close"
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onLabel).not.toHaveBeenCalled();
    expect(onBack).not.toHaveBeenCalled();
    // Once closed, the screen's keys work again.
    fireEvent.keyDown(window, { key: '1' });
    expect(onLabel).toHaveBeenCalledTimes(1);
  });

  it('swallows keys aimed outside it (focus on the page) and closes on Escape or a close key, returning focus', () => {
    const onBack = vi.fn();
    const onLabel = vi.fn();
    const behind = document.createElement('button');
    document.body.append(behind);
    behind.focus();
    render(<Screen onBack={onBack} onLabel={onLabel} />);
    expect(document.activeElement).toBe(screen.getByRole('dialog'));
    fireEvent.keyDown(document.body, { key: '1' });
    expect(onLabel).not.toHaveBeenCalled();
    fireEvent.keyDown(document.body, { key: '?' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onBack).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(behind);
    behind.remove();
  });
});
