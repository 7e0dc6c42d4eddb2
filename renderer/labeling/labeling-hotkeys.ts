import type { Dispatch } from 'react';
import type { LabelTask } from '../../shared/contract/index';
import type { Hotkey } from '../hooks/use-hotkeys';
import { shortcutForClass } from './class-shortcuts';
import type { ViewerAction } from './viewer-state';

export interface LabelingActions {
  press(name: string): void;
  undo(): void;
  skip(): void;
  flag(): void;
  next(): void;
  previous(): void;
  editNote(): void;
  back(): void;
  help(): void;
  toggleAutoAdvance(): void;
  /** Accepts the assistant's suggested class for the image shown, and advances. */
  acceptSuggestion(): void;
}

/** The key that accepts a suggestion: no class or view action uses it. */
export const ACCEPT_KEY = 'Enter';

const PAN_STEP = 40;

/**
 * Every shortcut of the labeling view, in one list: the same list binds the keys and fills the
 * "?" overlay, so the overlay can never miss one.
 */
export const labelingHotkeys = (
  task: LabelTask | null,
  actions: LabelingActions,
  view: Dispatch<ViewerAction>,
): Hotkey[] => {
  const classes: Hotkey[] = (task?.classes ?? []).flatMap((c, i) => {
    const key = shortcutForClass(i);
    return key
      ? [
          {
            key,
            group: task?.kind === 'multi' ? 'Classes (toggle)' : 'Classes',
            description: c.parent ? `${c.parent} › ${c.name}` : c.name,
            run: () => actions.press(c.name),
          },
        ]
      : [];
  });
  return [
    ...classes,
    {
      key: 'z',
      ctrl: true,
      group: 'Labeling',
      description: 'Undo the last label action (any screen)',
      run: actions.undo,
    },
    {
      key: ACCEPT_KEY,
      group: 'Labeling',
      description: "Accept the assistant's suggested class and go to the next image",
      run: actions.acceptSuggestion,
      // Enter on a focused button presses that button, as everywhere else.
      notOnControls: true,
    },
    { key: 'u', group: 'Labeling', description: 'Undo the last change', run: actions.undo },
    { key: 's', group: 'Labeling', description: 'Skip to the next unlabeled image', run: actions.skip },
    { key: 'f', group: 'Labeling', description: 'Flag for review (again: unflag)', run: actions.flag },
    {
      key: 'a',
      alt: true,
      group: 'Labeling',
      description: 'Auto-advance on/off',
      run: actions.toggleAutoAdvance,
    },
    {
      key: 'e',
      ctrl: true,
      group: 'Labeling',
      description: 'Edit the clinical note (Esc leaves it)',
      run: actions.editNote,
    },
    { key: 'ArrowRight', shift: false, group: 'Navigate', description: 'Next image', run: actions.next },
    { key: 'n', group: 'Navigate', description: 'Next image', run: actions.next },
    {
      key: 'ArrowLeft',
      shift: false,
      group: 'Navigate',
      description: 'Previous image',
      run: actions.previous,
    },
    { key: 'p', group: 'Navigate', description: 'Previous image', run: actions.previous },
    { key: 'Escape', group: 'Navigate', description: 'Back to the catalog', run: actions.back },
    { key: '+', group: 'View', description: 'Zoom in', run: () => view({ type: 'zoom', factor: 1.25 }) },
    { key: '=', group: 'View', description: 'Zoom in', run: () => view({ type: 'zoom', factor: 1.25 }) },
    { key: '-', group: 'View', description: 'Zoom out', run: () => view({ type: 'zoom', factor: 0.8 }) },
    {
      key: 'r',
      group: 'View',
      description: 'Reset zoom, pan and window/level',
      run: () => view({ type: 'reset' }),
    },
    {
      key: 'ArrowUp',
      alt: true,
      group: 'View',
      description: 'Pan up',
      run: () => view({ type: 'pan', dx: 0, dy: -PAN_STEP }),
    },
    {
      key: 'ArrowDown',
      alt: true,
      group: 'View',
      description: 'Pan down',
      run: () => view({ type: 'pan', dx: 0, dy: PAN_STEP }),
    },
    {
      key: 'ArrowLeft',
      alt: true,
      group: 'View',
      description: 'Pan left',
      run: () => view({ type: 'pan', dx: -PAN_STEP, dy: 0 }),
    },
    {
      key: 'ArrowRight',
      alt: true,
      group: 'View',
      description: 'Pan right',
      run: () => view({ type: 'pan', dx: PAN_STEP, dy: 0 }),
    },
    {
      key: 'ArrowUp',
      shift: true,
      group: 'View',
      description: 'Brighter (level)',
      run: () => view({ type: 'step', brightness: 0.1 }),
    },
    {
      key: 'ArrowDown',
      shift: true,
      group: 'View',
      description: 'Darker (level)',
      run: () => view({ type: 'step', brightness: -0.1 }),
    },
    {
      key: 'ArrowRight',
      shift: true,
      group: 'View',
      description: 'More contrast (window)',
      run: () => view({ type: 'step', contrast: 0.1 }),
    },
    {
      key: 'ArrowLeft',
      shift: true,
      group: 'View',
      description: 'Less contrast (window)',
      run: () => view({ type: 'step', contrast: -0.1 }),
    },
    { key: '?', group: 'Help', description: 'Show or hide this list', run: actions.help },
  ];
};
