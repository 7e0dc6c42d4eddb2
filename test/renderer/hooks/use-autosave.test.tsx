// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/contract/index';
import { readDraft, useAutosave, type SaveStatus } from '../../../renderer/hooks/use-autosave';

let lastStatus: SaveStatus = { state: 'idle' };
const Harness = (props: { value: string; save: (v: string) => Promise<Result<unknown>> }) => {
  const { status } = useAutosave({
    key: 'note-1',
    value: props.value,
    savedValue: 'original',
    save: props.save,
    delayMs: 500,
  });
  lastStatus = status;
  return null;
};

describe('useAutosave', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    window.localStorage.clear();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('keeps a draft at once, saves once after the debounce, then drops the draft', async () => {
    const save = vi.fn(async () => ({ ok: true as const, value: null }));
    const view = render(<Harness value="original" save={save} />);
    view.rerender(<Harness value="edited a" save={save} />);
    view.rerender(<Harness value="edited ab" save={save} />);
    expect(readDraft(window.localStorage, 'note-1')).toBe('edited ab');
    expect(lastStatus.state).toBe('pending');
    await act(async () => vi.advanceTimersByTimeAsync(499));
    expect(save).not.toHaveBeenCalled();
    await act(async () => vi.advanceTimersByTimeAsync(1));
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith('edited ab');
    expect(lastStatus.state).toBe('saved');
    expect(readDraft(window.localStorage, 'note-1')).toBeNull();
  });

  it('keeps the draft and reports the error when the save fails', async () => {
    const save = vi.fn(async () => ({
      ok: false as const,
      error: { code: 'TRANSPORT_CLOSED' as const, message: 'lost' },
    }));
    const view = render(<Harness value="original" save={save} />);
    view.rerender(<Harness value="unsaved text" save={save} />);
    await act(async () => vi.advanceTimersByTimeAsync(600));
    expect(lastStatus).toEqual({ state: 'error', error: { code: 'TRANSPORT_CLOSED', message: 'lost' } });
    expect(readDraft(window.localStorage, 'note-1')).toBe('unsaved text');
  });

  it('flushes a pending edit when the view unmounts', async () => {
    const save = vi.fn(async () => ({ ok: true as const, value: null }));
    const view = render(<Harness value="original" save={save} />);
    view.rerender(<Harness value="typed then navigated away" save={save} />);
    await act(async () => view.unmount());
    expect(save).toHaveBeenCalledWith('typed then navigated away');
  });
});
