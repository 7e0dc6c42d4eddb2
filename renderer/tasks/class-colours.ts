import { useCallback, useState } from 'react';

/**
 * Colours per class. The catalog contract has no colour field, so they live in this window's
 * localStorage, keyed by dataset and task; classes without a stored colour take one from a
 * palette chosen to stay distinct and readable on the dark theme.
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

const keyOf = (datasetId: number | null, task: string): string =>
  `sonofuse.colours.${datasetId ?? 0}.${task}`;

export const defaultColour = (index: number): string => PALETTE[index % PALETTE.length]!;

export const readColours = (
  storage: Storage,
  datasetId: number | null,
  task: string,
): Record<string, string> => {
  try {
    const parsed = JSON.parse(storage.getItem(keyOf(datasetId, task)) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
};

/** Colour of each class of a task (stored, else the palette by class order) and a setter. */
export const useClassColours = (
  datasetId: number | null,
  task: string,
  classes: readonly string[],
  storage: Storage = window.localStorage,
): { colourOf: (name: string) => string; setColour: (name: string, colour: string) => void } => {
  const [stored, setStored] = useState(() => readColours(storage, datasetId, task));
  const [key, setKey] = useState(keyOf(datasetId, task));
  if (key !== keyOf(datasetId, task)) {
    setKey(keyOf(datasetId, task));
    setStored(readColours(storage, datasetId, task));
  }
  const colourOf = useCallback(
    (name: string) => stored[name] ?? defaultColour(Math.max(0, classes.indexOf(name))),
    [stored, classes],
  );
  const setColour = useCallback(
    (name: string, colour: string) => {
      const next = { ...readColours(storage, datasetId, task), [name]: colour };
      storage.setItem(keyOf(datasetId, task), JSON.stringify(next));
      setStored(next);
    },
    [storage, datasetId, task],
  );
  return { colourOf, setColour };
};
