import { readFile } from 'node:fs/promises';
import { UsageError } from '../command';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads `--config FILE`: a JSON object in RunConfig's shape (e.g. the `config` of an earlier run's
 * `run:get`), validated later with the flags merged in.
 */
export const readConfigFile = async (path: string): Promise<Plain> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--config: ${path} is not valid JSON`);
  }
  if (!isPlain(value)) throw new UsageError(`--config: ${path} must hold a JSON object`);
  return value;
};

/** Deep merge of plain objects: values of `over` win; arrays and scalars replace. */
export const mergeConfig = (base: unknown, over: unknown): unknown => {
  if (!isPlain(base) || !isPlain(over)) return over === undefined ? base : over;
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeConfig(base[k], v);
  return out;
};
