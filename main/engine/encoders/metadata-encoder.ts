import { z } from 'zod';
import { AppError } from '../../../shared/contract/result';

/** Which metadata columns to encode and how (order here is the order of the output columns). */
export const MetadataSpec = z.object({
  columns: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ name: z.string().min(1), kind: z.literal('number') }),
        z.object({ name: z.string().min(1), kind: z.literal('category') }),
      ]),
    )
    .refine((cols) => new Set(cols.map((c) => c.name)).size === cols.length, {
      message: 'column names must be unique',
    }),
});
export type MetadataSpec = z.infer<typeof MetadataSpec>;

const NumberState = z.object({
  name: z.string(),
  kind: z.literal('number'),
  mean: z.number(),
  std: z.number().positive(),
});
const CategoryState = z.object({
  name: z.string(),
  kind: z.literal('category'),
  categories: z.array(z.string()),
});

/** The fitted state: everything needed to encode rows later, as plain JSON (stored with a run). */
export const MetadataEncoderState = z.object({
  version: z.literal(1),
  trainingRows: z.number().int().nonnegative(),
  columns: z.array(z.discriminatedUnion('kind', [NumberState, CategoryState])),
});
export type MetadataEncoderState = z.infer<typeof MetadataEncoderState>;

/** One metadata row as it comes from the catalog or a CSV: values may be numbers, strings or absent. */
export type MetadataRow = Readonly<Record<string, unknown>>;

/** A fitted metadata encoder. */
export interface MetadataEncoder {
  /** Output column names, in order: per spec column, its value columns, then `:unknown` (categories) and `:missing`. */
  readonly columnNames: readonly string[];
  readonly width: number;
  /** Row-major `[rows.length, width]` float32, ready for `tf.tensor2d(data, [n, width])`. */
  transform(rows: readonly MetadataRow[]): Float32Array;
  toJSON(): MetadataEncoderState;
}

/** null, undefined, NaN, and empty or whitespace-only strings are missing. */
const isMissing = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  (typeof v === 'number' && Number.isNaN(v)) ||
  (typeof v === 'string' && v.trim() === '');

/** A number, or a numeric string ("12.5"); anything else counts as missing. */
const asNumber = (v: unknown): number | null => {
  if (isMissing(v)) return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

const asCategory = (v: unknown): string | null => (isMissing(v) ? null : String(v).trim());

/** A row's own value for a column: a column may be called `constructor` or `toString`. */
const cell = (row: MetadataRow, name: string): unknown => (Object.hasOwn(row, name) ? row[name] : undefined);

/** Code-unit order, so the column order never depends on the machine's locale. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the encoder from a fitted state (what {@link MetadataEncoder.toJSON} returned). */
export const metadataEncoderFromState = (value: unknown): MetadataEncoder => {
  const parsed = MetadataEncoderState.safeParse(value);
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', `invalid metadata encoder state: ${parsed.error.issues[0]?.message}`);
  const state = parsed.data;
  const names: string[] = [];
  for (const c of state.columns) {
    if (c.kind === 'number') names.push(c.name);
    else names.push(...c.categories.map((k) => `${c.name}=${k}`), `${c.name}:unknown`);
    names.push(`${c.name}:missing`);
  }
  const width = names.length;
  const transform = (rows: readonly MetadataRow[]): Float32Array => {
    const out = new Float32Array(rows.length * width);
    rows.forEach((row, r) => {
      let o = r * width;
      for (const c of state.columns) {
        if (c.kind === 'number') {
          const x = asNumber(cell(row, c.name));
          out[o++] = x === null ? 0 : (x - c.mean) / c.std;
          out[o++] = x === null ? 1 : 0;
        } else {
          const k = asCategory(cell(row, c.name));
          const at = k === null ? -1 : c.categories.indexOf(k);
          if (at >= 0) out[o + at] = 1;
          o += c.categories.length;
          out[o++] = k !== null && at < 0 ? 1 : 0; // unknown: seen now, not in training
          out[o++] = k === null ? 1 : 0;
        }
      }
    });
    return out;
  };
  return { columnNames: names, width, transform, toJSON: () => structuredClone(state) };
};

/**
 * Fits on the TRAINING rows only (never pass validation or test rows): numbers are standardised with
 * the training mean and population standard deviation (a constant column keeps std 1, so it is only
 * centred); categories become one-hot columns in code-unit order of the values seen in training, plus
 * an `unknown` column for values first seen at apply time; every column gets a `missing` indicator,
 * and a missing value encodes as 0 in its value columns.
 */
export const createMetadataEncoder = (spec: MetadataSpec) => {
  const checked = MetadataSpec.parse(spec);
  return {
    fit(trainingRows: readonly MetadataRow[]): MetadataEncoder {
      const columns = checked.columns.map((c) => {
        if (c.kind === 'number') {
          const xs = trainingRows
            .map((r) => asNumber(cell(r, c.name)))
            .filter((x): x is number => x !== null);
          const mean = xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
          const variance = xs.length > 0 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length : 0;
          const std = variance > 1e-24 ? Math.sqrt(variance) : 1;
          return { name: c.name, kind: 'number' as const, mean, std };
        }
        const seen = new Set<string>();
        for (const r of trainingRows) {
          const k = asCategory(cell(r, c.name));
          if (k !== null) seen.add(k);
        }
        return { name: c.name, kind: 'category' as const, categories: [...seen].sort(byCodeUnits) };
      });
      return metadataEncoderFromState({ version: 1, trainingRows: trainingRows.length, columns });
    },
  };
};
