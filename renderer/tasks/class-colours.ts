import { useCallback } from 'react';
import type { LabelTask } from '../../shared/contract/index';

/**
 * Colours per class come from the catalog (each class of a label task may store one, edited on the
 * Label tasks screen), so every window and both shells show the same colours. A class without one
 * takes a colour from this palette by its position, chosen to stay distinct and readable on the
 * dark theme.
 */
export const PALETTE = [
  '#4fb3bf',
  '#e0a84f',
  '#9b8fe0',
  '#5cb85c',
  '#e06c6c',
  '#d98ac0',
  '#7fa7e0',
  '#c9c36a',
  '#6ac9a0',
  '#e0876a',
] as const;

export const defaultColour = (index: number): string => PALETTE[index % PALETTE.length]!;

/** The colour of a class of `task`: its stored colour, else the palette colour of its position. */
export const classColour = (task: Pick<LabelTask, 'classes'> | null, name: string): string => {
  const index = task?.classes.findIndex((c) => c.name === name) ?? -1;
  return task?.classes[index]?.colour ?? defaultColour(Math.max(0, index));
};

/** `colourOf(name)` for the classes of `task` (stable while the task is). */
export const useClassColours = (task: LabelTask | null): { colourOf: (name: string) => string } => {
  const colourOf = useCallback((name: string) => classColour(task, name), [task]);
  return { colourOf };
};
