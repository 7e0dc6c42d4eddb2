import type { ImportProgress } from '../../shared/contract/index';
import { formatDuration, formatRate } from '../components/format';

const phaseText: Record<ImportProgress['phase'], string> = {
  scanning: 'Scanning the source…',
  importing: 'Importing',
  done: 'Done',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** Live progress of one import: count, bar, rate, ETA and running tallies. */
export const ImportProgressView = ({
  progress,
  onCancel,
  cancelling,
}: {
  progress: ImportProgress | null;
  onCancel: () => void;
  cancelling: boolean;
}) => (
  <section className="panel import-progress" aria-label="Import progress">
    <div className="progress-head">
      <strong>{progress ? phaseText[progress.phase] : 'Starting…'}</strong>
      <button type="button" className="button danger" onClick={onCancel} disabled={cancelling}>
        {cancelling ? 'Cancelling…' : 'Cancel import'}
      </button>
    </div>
    <progress
      className="wide"
      max={progress?.total || undefined}
      value={progress && progress.total > 0 ? progress.done : undefined}
      aria-label="Imported so far"
    />
    {progress ? (
      <dl className="facts inline" data-testid="import-progress">
        <div>
          <dt>Processed</dt>
          <dd>
            {progress.done.toLocaleString('en')} / {progress.total.toLocaleString('en')}
          </dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{formatRate(progress.ratePerSecond)}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd>{formatDuration(progress.etaSeconds)}</dd>
        </div>
        <div>
          <dt>Imported</dt>
          <dd>{progress.imported.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd>{progress.duplicates.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd>{progress.errors.toLocaleString('en')}</dd>
        </div>
      </dl>
    ) : null}
  </section>
);
