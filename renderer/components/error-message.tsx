import type { AppErrorShape } from '../../shared/contract/index';

const hints: Partial<Record<AppErrorShape['code'], string>> = {
  TRANSPORT_CLOSED: 'SonoFuse is reconnecting; try again in a moment.',
  UNAUTHORIZED: 'Open the address printed by `npm start` again.',
  INTERNAL: 'Details are in the log panel.',
};

/** A contract error shown as a readable message, with its code for support. */
export const ErrorMessage = ({ error, onRetry }: { error: AppErrorShape; onRetry?: () => void }) => (
  <div className="error-message" role="alert">
    <strong>{error.message}</strong>
    {hints[error.code] ? <span className="hint"> {hints[error.code]}</span> : null}
    <span className="code">{error.code}</span>
    {onRetry ? (
      <button type="button" className="button" onClick={onRetry}>
        Retry
      </button>
    ) : null}
  </div>
);
