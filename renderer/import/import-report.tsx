import { useEffect, useMemo, useState } from 'react';
import type { AppErrorShape, ImportReport } from '../../shared/contract/index';
import { importReportCsv } from '../../shared/csv/import-report-csv';
import { useApi } from '../api-context';
import { ErrorMessage } from '../components/error-message';
import { formatDuration } from '../components/format';

/** The report as CSV (notices, rejected files, duplicates), for a download made in the page. */
export const reportCsv = (report: ImportReport): string => importReportCsv(report).csv;

const statusClass = { done: 'ok', cancelled: 'warn', failed: 'error' } as const;

/**
 * What an import did: counts, per-class totals, every duplicate and rejected file with its reason,
 * and export (written by the main process to a path, or downloaded from the page).
 */
export const ImportReportView = ({ report }: { report: ImportReport }) => {
  const api = useApi();
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<'json' | 'csv'>('csv');
  const [exported, setExported] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const urls = useMemo(
    () => ({
      csv: URL.createObjectURL(new Blob([reportCsv(report)], { type: 'text/csv' })),
      json: URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' })),
    }),
    [report],
  );
  useEffect(
    () => () => {
      URL.revokeObjectURL(urls.csv);
      URL.revokeObjectURL(urls.json);
    },
    [urls],
  );
  return (
    <section className="panel import-report" aria-labelledby="report-title">
      <h3 id="report-title">
        Import report: {report.dataset}{' '}
        <span className={`badge ${statusClass[report.status]}`} data-testid="import-status">
          {report.status}
        </span>
      </h3>
      {(report.notices ?? []).map((notice) => (
        <p key={notice} className="warn-banner" role="note" data-testid="import-notice">
          {notice}
        </p>
      ))}
      {report.burnedIn && report.burnedIn.images > 0 ? (
        <p className="warn-banner" role="note" data-testid="import-burned-in">
          {report.burnedIn.images.toLocaleString('en')} DICOM image(s) declare burned-in annotation (names,
          ids or dates may be in the pixels);{' '}
          {report.burnedIn.masked === report.burnedIn.images
            ? 'all were masked before storing.'
            : `${report.burnedIn.masked.toLocaleString('en')} masked. Re-import with masking, or skip them, before training or sharing.`}
        </p>
      ) : null}
      <dl className="facts inline" data-testid="import-report">
        <div>
          <dt>Listed</dt>
          <dd>{report.total.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Imported</dt>
          <dd data-testid="report-imported">{report.imported.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Already present</dt>
          <dd>{report.skipped.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd>{report.duplicates.length.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Already in another dataset</dt>
          <dd data-testid="report-elsewhere">{(report.elsewhere?.images ?? 0).toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-testid="report-rejected">{report.errors.length.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>{formatDuration(report.seconds)}</dd>
        </div>
      </dl>
      {Object.keys(report.labels).length > 0 ? (
        <p className="muted">
          Per class:{' '}
          {Object.entries(report.labels)
            .map(([k, v]) => `${k} ${v}`)
            .join(' · ')}
        </p>
      ) : null}
      {report.errors.length > 0 ? (
        <table className="table" aria-label="Rejected files">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Line</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.slice(0, 500).map((e, i) => (
              <tr key={`${e.file}-${i}`}>
                <td className="wrap">{e.file}</td>
                <td>{e.line ?? '—'}</td>
                <td>
                  <code>{e.code}</code> {e.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.duplicates.length > 0 ? (
        <table className="table" aria-label="Duplicate files">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Same bytes as</th>
              <th scope="col">Labels</th>
            </tr>
          </thead>
          <tbody>
            {report.duplicates.slice(0, 500).map((d, i) => (
              <tr key={`${d.file}-${i}`}>
                <td className="wrap">{d.file}</td>
                <td className="wrap">{d.duplicateOf}</td>
                <td>{d.sameLabel ? 'agree' : <strong className="warn-text">disagree</strong>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="form-row">
        <label className="field grow">
          <span>Export report to (path on this computer)</span>
          <input
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/home/me/import-report.csv"
          />
        </label>
        <label className="field">
          <span>Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as 'json' | 'csv')}>
            <option value="csv">CSV</option>
            <option value="json">JSON</option>
          </select>
        </label>
        <button
          type="button"
          className="button"
          disabled={!path.trim()}
          onClick={async () => {
            const result = await api.catalog.exportImportReport({
              importId: report.importId,
              path: path.trim(),
              format,
            });
            if (result.ok) {
              setExported(`Wrote ${result.value.rows} rows to ${result.value.path}.`);
              setError(null);
            } else setError(result.error);
          }}
        >
          Export
        </button>
        <a className="button" href={urls.csv} download={`${report.dataset}-import-report.csv`}>
          Download CSV
        </a>
        <a className="button" href={urls.json} download={`${report.dataset}-import-report.json`}>
          Download JSON
        </a>
      </div>
      {exported ? <p role="status">{exported}</p> : null}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
};
