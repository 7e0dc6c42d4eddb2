import { RunConfig, runMethods } from './run-config';

/**
 * The RunConfig fields a person sets, in one table: the CLI's `sonofuse run` flags, the Training
 * form's labels and the defaults all come from here (the schema, run-config.ts, validates).
 */
export interface RunConfigField {
  /** Dotted path in RunConfig (`stage1.epochs`). */
  path: string;
  /** The CLI flag, without `--`. */
  flag: string;
  /** The form's label and the name errors use. */
  label: string;
  /** How a flag's text becomes the value. `path`: a folder (the CLI resolves it). */
  kind: 'int' | 'number' | 'choice' | 'list' | 'text' | 'path';
  choices?: readonly string[];
  /** The form's step for numbers. */
  step?: number;
  /** Where the form shows it (the Advanced drawer's fieldsets). */
  group: 'data' | 'stage1' | 'stage2' | 'inputs';
}

export const runConfigFields: readonly RunConfigField[] = [
  { path: 'imageSize', flag: 'image-size', label: 'Image size (px)', kind: 'int', step: 32, group: 'data' },
  { path: 'batchSize', flag: 'batch-size', label: 'Batch size', kind: 'int', group: 'data' },
  { path: 'seed', flag: 'seed', label: 'Seed', kind: 'int', group: 'data' },
  { path: 'seeds', flag: 'seeds', label: 'Seeds', kind: 'int', group: 'data' },
  { path: 'methods', flag: 'methods', label: 'Methods', kind: 'list', choices: runMethods, group: 'data' },
  { path: 'stage1.epochs', flag: 'epochs1', label: 'Stage 1 epochs', kind: 'int', group: 'stage1' },
  {
    path: 'stage1.optimizer',
    flag: 'optimizer',
    label: 'Stage 1 optimizer',
    kind: 'choice',
    choices: ['adam', 'sgd'],
    group: 'stage1',
  },
  {
    path: 'stage1.lr',
    flag: 'lr1',
    label: 'Stage 1 learning rate',
    kind: 'number',
    step: 0.0001,
    group: 'stage1',
  },
  {
    path: 'stage2.head',
    flag: 'head2',
    label: 'Stage 2 head',
    kind: 'choice',
    choices: ['linear', 'mlp'],
    group: 'stage2',
  },
  { path: 'stage2.epochs', flag: 'epochs2', label: 'Stage 2 epochs', kind: 'int', group: 'stage2' },
  {
    path: 'stage2.lr',
    flag: 'lr2',
    label: 'Stage 2 learning rate',
    kind: 'number',
    step: 0.001,
    group: 'stage2',
  },
  { path: 'heads.epochs', flag: 'head-epochs', label: 'Head epochs', kind: 'int', group: 'stage2' },
  {
    path: 'heads.lr',
    flag: 'head-lr',
    label: 'Head learning rate',
    kind: 'number',
    step: 0.001,
    group: 'stage2',
  },
  {
    path: 'augmentation.preset',
    flag: 'preset',
    label: 'Augmentation preset',
    kind: 'choice',
    choices: ['paper', 'ultrasound-default', 'none'],
    group: 'inputs',
  },
  {
    path: 'encoders.text.kind',
    flag: 'text-encoder',
    label: 'Note encoder',
    kind: 'choice',
    choices: ['use-lite', 'none'],
    group: 'inputs',
  },
  {
    path: 'encoders.image.path',
    flag: 'backbone',
    label: 'Image backbone folder',
    kind: 'path',
    group: 'inputs',
  },
  {
    path: 'encoders.metadataFields',
    flag: 'metadata-fields',
    label: 'Metadata fields',
    kind: 'list',
    group: 'inputs',
  },
  { path: 'evaluation.views', flag: 'views', label: 'Test-time views', kind: 'int', group: 'inputs' },
];

/** Every default, as the schema fills it in. */
export const runConfigDefaults = RunConfig.parse({ dataset: 'defaults' });

/** A field's label by path (a path the table does not know is returned as it is). */
export const fieldLabel = (path: string): string =>
  runConfigFields.find((f) => f.path === path)?.label ?? path;

/** The field behind a CLI flag. */
export const fieldOfFlag = (flag: string): RunConfigField | undefined =>
  runConfigFields.find((f) => f.flag === flag);

/**
 * A flag's text as the field's value, or an error sentence. Image backbone folders become
 * `{ kind: 'folder', path }` when written (see {@link setField}).
 */
export const parseFieldText = (
  field: RunConfigField,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } => {
  const bad = (what: string) => ({
    ok: false as const,
    message: `--${field.flag} takes ${what}, got "${text}"`,
  });
  if (field.kind === 'int') {
    const n = Number(text);
    return Number.isInteger(n) ? { ok: true, value: n } : bad('a whole number');
  }
  if (field.kind === 'number') {
    const n = Number(text);
    return Number.isFinite(n) && text.trim() !== '' ? { ok: true, value: n } : bad('a number');
  }
  if (field.kind === 'choice')
    return field.choices!.includes(text) ? { ok: true, value: text } : bad(field.choices!.join(' or '));
  if (field.kind === 'list') {
    const items = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = field.choices ? items.filter((i) => !field.choices!.includes(i)) : [];
    return unknown.length
      ? {
          ok: false,
          message: `unknown ${field.flag} ${unknown.join(', ')}; known: ${field.choices!.join(', ')}`,
        }
      : { ok: true, value: items };
  }
  return { ok: true, value: text };
};

/** Writes a field's value into a (partial) RunConfig input, creating the objects on its path. */
export const setField = (input: Record<string, unknown>, path: string, value: unknown): void => {
  if (path === 'encoders.image.path') {
    setField(input, 'encoders.image', { kind: 'folder', path: value });
    return;
  }
  const keys = path.split('.');
  let at = input;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    at = (next && typeof next === 'object' ? next : (at[k] = {})) as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
};
