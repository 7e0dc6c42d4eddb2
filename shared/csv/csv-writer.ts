/**
 * The one CSV writer of the app (catalog export, import report, run report, the demo manifest,
 * the Import screen's download). Cells follow RFC 4180 (quoted when they hold `"`, `,`, CR or LF,
 * or start or end with white space), and text a spreadsheet would run as a formula is neutralised
 * as OWASP recommends: a cell that starts with `=`, `+`, `-`, `@`, TAB or CR (or their full-width
 * forms) gets a leading `'` and is quoted. Clinical notes, labels, patient ids and metadata are
 * user text, so every exporter goes through here.
 */

/** First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
export const FORMULA_TRIGGERS = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\uFF1D',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
] as const;

const TRIGGER = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain decimal number such as `-3` or `+0.25e-3`: a spreadsheet reads it as that number, nothing else. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One CSV cell: numbers as they are, text neutralised and quoted as needed. */
export const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  let text = String(value);
  const formula = TRIGGER.test(text) && !PLAIN_NUMBER.test(text);
  if (formula) text = `'${text}`;
  return formula || /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One CSV line (no terminator). */
export const csvRow = (cells: readonly unknown[]): string => cells.map(csvCell).join(',');

/** A whole CSV document: a header line, then one line per row (cells picked by header name). */
export const toCsv = (
  header: readonly string[],
  rows: Iterable<ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>>,
): string => {
  const lines = [csvRow(header)];
  for (const row of rows) {
    lines.push(
      csvRow(
        header.map((h) =>
          row instanceof Map
            ? row.get(h)
            : Object.hasOwn(row, h)
              ? (row as Record<string, unknown>)[h]
              : undefined,
        ),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
};

/** Rows of cells (the first is the header) as a CSV document. */
export const rowsToCsv = (rows: ReadonlyArray<readonly unknown[]>): string =>
  rows.length === 0 ? '' : `${rows.map(csvRow).join('\n')}\n`;
