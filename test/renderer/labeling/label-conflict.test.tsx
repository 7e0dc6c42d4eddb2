// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabelConflictDialog } from '../../../renderer/labeling/label-conflict-dialog';
import {
  conflictChoices,
  describeConflict,
  resolveConflict,
  timeAgo,
} from '../../../renderer/labeling/label-conflict';

afterEach(cleanup);

const NOW = Date.parse('2026-12-04T12:00:00.000Z');
const theirs = {
  imageId: 7,
  task: 'label',
  version: 3,
  labels: ['benign'],
  by: 'A. Rossi',
  at: '2026-12-04T11:58:00.000Z',
};

describe('label conflict (pure)', () => {
  it('says what is stored, by whom, how long ago', () => {
    expect(describeConflict(theirs, NOW)).toBe('labelled benign by A. Rossi 2 min ago');
    expect(describeConflict({ ...theirs, labels: [], by: null, at: null }, NOW)).toBe(
      'cleared on another workstation',
    );
    expect(timeAgo('2026-12-04T11:59:30.000Z', NOW)).toBe('just now');
    expect(timeAgo('2026-12-04T09:00:00.000Z', NOW)).toBe('3 h ago');
    expect(timeAgo('2026-12-02T11:00:00.000Z', NOW)).toBe('2 days ago');
  });

  it('offers "label both" only where a task holds several labels', () => {
    expect(conflictChoices('multi')).toEqual(['keep-theirs', 'replace', 'label-both']);
    expect(conflictChoices('single')).toEqual(['keep-theirs', 'replace']);
  });

  it('replace rewrites mine on the stored version; both = the union; keep theirs writes nothing', () => {
    expect(resolveConflict('keep-theirs', theirs, ['malignant'])).toBeNull();
    expect(resolveConflict('replace', theirs, ['malignant'])).toEqual({
      labels: ['malignant'],
      baseVersion: 3,
    });
    expect(resolveConflict('label-both', theirs, ['malignant', 'benign'])).toEqual({
      labels: ['benign', 'malignant'],
      baseVersion: 3,
    });
  });
});

describe('LabelConflictDialog', () => {
  it('shows the other write and answers each choice', () => {
    const onChoose = vi.fn();
    render(
      <LabelConflictDialog
        conflict={theirs}
        mine={['malignant']}
        kind="multi"
        file="img-007.png"
        now={NOW}
        onChoose={onChoose}
      />,
    );
    expect(screen.getByTestId('label-conflict-what').textContent).toBe(
      'img-007.png: labelled benign by A. Rossi 2 min ago. You chose malignant.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Replace with malignant' }));
    fireEvent.click(screen.getByRole('button', { name: 'Label both' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep theirs' }));
    expect(onChoose.mock.calls).toEqual([['replace'], ['label-both'], ['keep-theirs']]);
  });

  it('has no "label both" on a single-label task; Escape keeps theirs', () => {
    const onChoose = vi.fn();
    render(
      <LabelConflictDialog
        conflict={theirs}
        mine={['malignant']}
        kind="single"
        file="x.png"
        now={NOW}
        onChoose={onChoose}
      />,
    );
    expect(screen.queryByRole('button', { name: 'Label both' })).toBeNull();
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onChoose).toHaveBeenCalledWith('keep-theirs');
  });
});
