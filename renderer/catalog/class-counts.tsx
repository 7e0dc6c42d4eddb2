import type { DatasetStats } from '../../shared/contract/index';

/**
 * Images per class of the current task, plus unlabeled, as chips; pressing one filters the grid
 * by that class (pressing the active one clears the filter).
 */
export const ClassCounts = ({
  stats,
  colourOf,
  active,
  onPick,
}: {
  stats: DatasetStats | null;
  colourOf: (name: string) => string;
  active: string | null;
  onPick: (label: string | null) => void;
}) => {
  if (!stats) return null;
  return (
    <ul className="class-counts" aria-label="Images per class">
      <li>
        <span className="muted">Total</span>{' '}
        <strong data-testid="count-total">{stats.images.toLocaleString('en')}</strong>
      </li>
      {stats.labels.map((l) => (
        <li key={l.label}>
          <button
            type="button"
            className={active === l.label ? 'chip active' : 'chip'}
            aria-pressed={active === l.label}
            onClick={() => onPick(active === l.label ? null : l.label)}
          >
            <span className="swatch" style={{ background: colourOf(l.label) }} aria-hidden="true" />
            {l.label} <span className="count">{l.count.toLocaleString('en')}</span>
          </button>
        </li>
      ))}
      <li>
        <button
          type="button"
          className={active === '' ? 'chip active' : 'chip'}
          aria-pressed={active === ''}
          onClick={() => onPick(active === '' ? null : '')}
        >
          unlabeled{' '}
          <span className="count" data-testid="count-unlabeled">
            {stats.unlabeled.toLocaleString('en')}
          </span>
        </button>
      </li>
    </ul>
  );
};
