/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A CSV cell per RFC 4180, with a leading quote for text a spreadsheet would run as a formula. */
export const csvCell = (value: unknown): string => {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const csvRow = (cells: unknown[]): string => cells.map(csvCell).join(',');

export const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;
