export interface ConfusionMatrixProps {
  classes: readonly string[];
  /** matrix[true][predicted] */
  matrix: readonly (readonly number[])[];
  title: string;
  onCellClick?: (trueIndex: number, predictedIndex: number) => void;
  selected?: { trueIndex: number; predictedIndex: number } | null;
}

/** Row-normalised share of a cell (recall view), 0 when the row is empty. */
export const rowShare = (matrix: readonly (readonly number[])[], t: number, p: number): number => {
  const row = matrix[t] ?? [];
  const total = row.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : (row[p] ?? 0) / total;
};

/**
 * A confusion matrix as an accessible table: rows are true classes, columns predictions; the cell
 * shade is the row-normalised share, the number the count. Clicking (or Enter on) a cell asks the
 * parent to open exactly those images.
 */
export const ConfusionMatrix = ({ classes, matrix, title, onCellClick, selected }: ConfusionMatrixProps) => (
  <table className="confusion" aria-label={title}>
    <caption>{title}</caption>
    <thead>
      <tr>
        <th scope="col" className="corner">
          true ↓ / predicted →
        </th>
        {classes.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
    <tbody>
      {classes.map((trueClass, t) => (
        <tr key={trueClass}>
          <th scope="row">{trueClass}</th>
          {classes.map((predClass, p) => {
            const count = matrix[t]?.[p] ?? 0;
            const share = rowShare(matrix, t, p);
            const isSelected = selected?.trueIndex === t && selected.predictedIndex === p;
            return (
              <td
                key={predClass}
                className={`${t === p ? 'diag' : 'off'}${isSelected ? ' selected' : ''}`}
                style={{ ['--share' as string]: share.toFixed(3) }}
              >
                <button
                  type="button"
                  disabled={!onCellClick || count === 0}
                  aria-label={`${count} images of ${trueClass} predicted as ${predClass}`}
                  onClick={() => onCellClick?.(t, p)}
                >
                  {count}
                </button>
              </td>
            );
          })}
        </tr>
      ))}
    </tbody>
  </table>
);
