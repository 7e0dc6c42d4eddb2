import type { ImageFlag } from '../../shared/contract/index';
import { formatWhen } from './history-labels';

/**
 * The review flag of the shown image: why, by whom and when it was set, and the reason to record
 * with the next flag or unflag (F or the button). Flags are per image, independent of label tasks.
 */
export const FlagPanel = ({
  flag,
  reason,
  onReason,
  onToggle,
  busy,
}: {
  flag: ImageFlag | null;
  reason: string;
  onReason: (reason: string) => void;
  onToggle: () => void;
  busy: boolean;
}) => (
  <section className="side-section" aria-label="Review flag">
    <h3>Review flag</h3>
    {flag ? (
      <p data-testid="flag-state" className="flag-state">
        <strong>Flagged</strong>: {flag.reason}{' '}
        <span className="muted small">
          ({flag.user}, <time dateTime={flag.at}>{formatWhen(flag.at)}</time>)
        </span>
      </p>
    ) : (
      <p data-testid="flag-state" className="muted small">
        Not flagged.
      </p>
    )}
    <form
      className="form-row"
      onSubmit={(e) => {
        e.preventDefault();
        onToggle();
      }}
    >
      <label className="field grow">
        <span>{flag ? 'Reason for clearing' : 'Reason for flagging'}</span>
        <input
          type="text"
          value={reason}
          maxLength={500}
          placeholder={flag ? 'review done' : 'flagged for review'}
          onChange={(e) => onReason(e.target.value)}
        />
      </label>
      <button type="submit" className="button" disabled={busy}>
        {flag ? 'Clear flag' : 'Flag'}
      </button>
    </form>
  </section>
);
