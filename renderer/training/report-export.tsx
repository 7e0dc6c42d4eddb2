import { useState } from 'react';
import type { AppErrorShape } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useCall } from '../use-call';
import { ErrorMessage } from '../components/error-message';

/** `<folder>/run-<id>-report.<ext>`, with the folder's own separator style. */
export const reportPathIn = (folder: string, runId: number, format: 'html' | 'csv'): string => {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder.replace(/[\\/]+$/, '')}${sep}run-${runId}-report.${format}`;
};

/**
 * The validation report of a run (HTML that prints to PDF, or CSV) written to a path on this
 * computer; where the shell has native dialogs, "Choose folder…" fills the path.
 */
export const ReportExport = ({ runId }: { runId: number }) => {
  const api = useApi();
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<'html' | 'csv'>('html');
  const [written, setWritten] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [info] = useCall(() => api.app.info({}));
  const canBrowse = info.status === 'ok' && info.value.nativeDialogs;

  const choose = async () => {
    const r = await api.app.chooseFiles({ kind: 'folder', title: 'Folder for the validation report' });
    if (!r.ok) setError(r.error);
    else if (!r.value.cancelled && r.value.paths[0]) setPath(reportPathIn(r.value.paths[0], runId, format));
  };
  const changeFormat = (next: 'html' | 'csv') => {
    setFormat(next);
    setPath((p) => p.replace(/\.(html|csv)$/i, `.${next}`));
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    setWritten(null);
    const r = await api.run.exportReport({ runId, path: path.trim(), format });
    setBusy(false);
    if (r.ok) setWritten(`${r.value.path} (${r.value.bytes} bytes)`);
    else setError(r.error);
  };
  return (
    <section className="review-block" aria-labelledby="report-title">
      <h3 id="report-title">Validation report</h3>
      <p className="muted">
        Dataset and split, label version, configuration, every method&apos;s metrics and confusion matrices,
        and the misclassified images. The HTML prints well to PDF.
      </p>
      <div className="toolbar">
        <label className="field grow">
          <span>Save to (path on this computer)</span>
          <input
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder={`/home/me/run-${runId}-report.${format}`}
          />
        </label>
        {canBrowse ? (
          <button type="button" className="button" onClick={() => void choose()}>
            Choose folder…
          </button>
        ) : null}
        <label className="field">
          <span>Format</span>
          <select value={format} onChange={(e) => changeFormat(e.target.value as 'html' | 'csv')}>
            <option value="html">HTML (prints to PDF)</option>
            <option value="csv">CSV</option>
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          disabled={!path.trim() || busy}
          onClick={() => void save()}
        >
          Export report
        </button>
      </div>
      {written ? <p role="status">Report written: {written}</p> : null}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
};
