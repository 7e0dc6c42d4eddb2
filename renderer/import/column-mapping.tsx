/** Fields of the manifest convention a column can be mapped to; anything else becomes metadata. */
export const MANIFEST_FIELDS = ['file', 'label', 'patient_id', 'note'] as const;

export interface MappingRow {
  from: string;
  to: string;
}

/** `{ old: new }` for the import call, skipping incomplete rows. */
export const mappingRecord = (rows: readonly MappingRow[]): Record<string, string> =>
  Object.fromEntries(
    rows.filter((r) => r.from.trim() && r.to.trim()).map((r) => [r.from.trim(), r.to.trim()]),
  );

/**
 * Column renames for a CSV manifest whose headers differ from the convention (file, label,
 * patient_id, note; other columns are metadata), e.g. `diagnosis → label`.
 */
export const ColumnMapping = ({
  rows,
  onChange,
}: {
  rows: MappingRow[];
  onChange: (rows: MappingRow[]) => void;
}) => (
  <fieldset className="mapping">
    <legend>Column mapping (only where the manifest's headers differ)</legend>
    {rows.map((row, i) => (
      <div className="form-row" key={i}>
        <label className="field">
          <span>Column in the file</span>
          <input
            type="text"
            value={row.from}
            onChange={(e) => onChange(rows.map((r, j) => (j === i ? { ...r, from: e.target.value } : r)))}
          />
        </label>
        <span aria-hidden="true" className="arrow">
          →
        </span>
        <label className="field">
          <span>Means</span>
          <input
            type="text"
            list="manifest-fields"
            value={row.to}
            onChange={(e) => onChange(rows.map((r, j) => (j === i ? { ...r, to: e.target.value } : r)))}
          />
        </label>
        <button
          type="button"
          className="button"
          aria-label={`Remove mapping ${i + 1}`}
          onClick={() => onChange(rows.filter((_, j) => j !== i))}
        >
          Remove
        </button>
      </div>
    ))}
    <datalist id="manifest-fields">
      {MANIFEST_FIELDS.map((f) => (
        <option key={f} value={f} />
      ))}
    </datalist>
    <button type="button" className="button" onClick={() => onChange([...rows, { from: '', to: '' }])}>
      Add a column mapping
    </button>
  </fieldset>
);
