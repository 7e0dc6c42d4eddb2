// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { calls, MAX_NOTE_CHARS } from '../../../shared/contract/index';
import { NoteEditor } from '../../../renderer/labeling/note-editor';

afterEach(cleanup);

describe('NoteEditor', () => {
  it('holds at most the note limit that catalog:setNote accepts (one shared constant)', () => {
    render(
      <NoteEditor
        imageId={1}
        saved=""
        save={async () => ({ ok: true, value: null })}
        storage={window.sessionStorage}
      />,
    );
    const box = screen.getByRole('textbox', { name: 'Clinical note' }) as HTMLTextAreaElement;
    expect(box.maxLength).toBe(MAX_NOTE_CHARS);
    const note = (text: string) => ({ imageId: 1, text, user: 'u', reason: '' });
    expect(calls['catalog:setNote'].input.safeParse(note('x'.repeat(MAX_NOTE_CHARS))).success).toBe(true);
    expect(calls['catalog:setNote'].input.safeParse(note('x'.repeat(MAX_NOTE_CHARS + 1))).success).toBe(
      false,
    );
  });
});
