import { useEffect, useRef, useState } from 'react';
import type {
  AppErrorShape,
  BurnedInPolicy,
  ImportProgress,
  ImportReport,
} from '../../shared/contract/index';
import { BurnedInMask } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { useCall } from '../use-call';
import { ColumnMapping, mappingRecord, type MappingRow } from './column-mapping';
import { ImportProgressView } from './import-progress';
import { ImportReportView } from './import-report';

type SourceKind = 'manifest' | 'folder' | 'dicom';
const sourceHelp: Record<SourceKind, string> = {
  manifest:
    'A manifest.csv next to an images/ folder: columns file, label, patient_id, note; others become metadata.',
  folder: 'A folder of images; each sub-folder name is the class of the images in it.',
  dicom:
    'One DICOM file (uncompressed or JPEG baseline); multi-frame cine files give one image per chosen frame.',
};

/** `x,y,w,h` typed in the form → a mask rectangle, or null when it is not one. */
export const parseMaskText = (text: string): BurnedInMask | null => {
  const [x, y, w, h, ...rest] = text.split(',').map((n) => Number(n.trim()));
  const mask = BurnedInMask.safeParse({ x, y, w, h });
  return rest.length === 0 && mask.success ? mask.data : null;
};

const newJobId = (): string => `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

const dialogKind = { manifest: 'csv', folder: 'folder', dicom: 'dicom' } as const;

/**
 * Import a CSV manifest, a class-per-folder tree or a DICOM file. The path is typed, or picked with
 * "Browse…" where the shell has native dialogs (app:info `nativeDialogs`; the browser mode answers
 * app:chooseFiles with NOT_SUPPORTED and keeps only the path field); progress arrives as catalog:onImportProgress for this job's
 * id, the import can be cancelled, and its report stays on screen afterwards.
 */
export const ImportScreen = ({
  onDone,
  onEditTasks,
}: {
  onDone?: (report: ImportReport) => void;
  /** Opens Label tasks (offered when the import left its task without classes). */
  onEditTasks?: () => void;
}) => {
  const api = useApi();
  const ws = useWorkspace();
  const [kind, setKind] = useState<SourceKind>('manifest');
  const [source, setSource] = useState('');
  const [dataset, setDataset] = useState('');
  const [task, setTask] = useState('label');
  // Copy into the managed store unless the user chooses otherwise: moved or deleted originals then
  // cannot break the catalog.
  const [inPlace, setInPlace] = useState(false);
  const [keepOriginal, setKeepOriginal] = useState(false);
  const [multiLabel, setMultiLabel] = useState(false);
  const [frames, setFrames] = useState<'all' | 'first' | 'middle'>('all');
  const [identifying, setIdentifying] = useState(false);
  const [allowOutside, setAllowOutside] = useState(false);
  const [burnedIn, setBurnedIn] = useState<BurnedInPolicy>('warn');
  const [pseudonymizeIds, setPseudonymizeIds] = useState(false);
  const [maskText, setMaskText] = useState('');
  const [mapping, setMapping] = useState<MappingRow[]>([]);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const job = useRef<string | null>(null);
  const [info] = useCall(() => api.app.info({}));
  const [dialogsRefused, setDialogsRefused] = useState(false);
  const canBrowse = info.status === 'ok' && info.value.nativeDialogs && !dialogsRefused;

  const browse = async (): Promise<void> => {
    const result = await api.app.chooseFiles({ kind: dialogKind[kind] });
    if (!result.ok) {
      if (result.error.code === 'NOT_SUPPORTED') setDialogsRefused(true);
      else setError(result.error);
      return;
    }
    const [path] = result.value.paths;
    if (!result.value.cancelled && path) setSource(path);
  };

  useEffect(
    () =>
      api.catalog.onImportProgress((p) => {
        if (p.jobId === job.current) setProgress(p);
      }),
    [api],
  );

  const start = async (): Promise<void> => {
    // A dataset needs a real name: never a silent default.
    const name = dataset.trim();
    if (!name) return;
    const id = newJobId();
    job.current = id;
    setJobId(id);
    setProgress(null);
    setReport(null);
    setError(null);
    setCancelling(false);
    if (burnedIn === 'mask-band' && maskText.trim()) {
      const mask = parseMaskText(maskText);
      const stored = mask
        ? await api.catalog.setBurnedInMask({ dataset: name, mask })
        : ({
            ok: false,
            error: {
              code: 'INVALID_INPUT',
              message: 'The mask rectangle is x,y,w,h in pixels, e.g. 0,0,640,60.',
            },
          } as const);
      if (!stored.ok) {
        job.current = null;
        setJobId(null);
        setError(stored.error);
        return;
      }
    }
    const result = await api.catalog.import({
      source: source.trim(),
      dataset: name,
      referenceInPlace: inPlace,
      keepOriginalBytes: !inPlace && keepOriginal,
      mapping: mappingRecord(mapping),
      multiLabel,
      task: task.trim() || 'label',
      frames,
      includeIdentifying: identifying,
      allowOutsidePaths: kind === 'manifest' && allowOutside,
      burnedIn,
      pseudonymizePatientIds: kind === 'manifest' && pseudonymizeIds,
      user: ws.user,
      jobId: id,
    });
    job.current = null;
    setJobId(null);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setReport(result.value);
    ws.setDatasetId(result.value.datasetId);
    ws.setTask(task.trim() || 'label');
    ws.bump();
    onDone?.(result.value);
  };

  const running = jobId !== null;
  return (
    <section className="screen import-screen" aria-labelledby="import-title">
      <header className="screen-header">
        <h2 id="import-title">Import</h2>
      </header>
      <form
        className="panel form"
        aria-label="Import source"
        onSubmit={(e) => {
          e.preventDefault();
          if (!running && source.trim() && dataset.trim()) void start();
        }}
      >
        <fieldset className="segmented">
          <legend>Source</legend>
          {(['manifest', 'folder', 'dicom'] as const).map((k) => (
            <label key={k} className={kind === k ? 'segment on' : 'segment'}>
              <input
                type="radio"
                name="source-kind"
                value={k}
                checked={kind === k}
                onChange={() => setKind(k)}
              />
              {k === 'manifest' ? 'CSV manifest' : k === 'folder' ? 'Folder' : 'DICOM file'}
            </label>
          ))}
        </fieldset>
        <p className="muted small">{sourceHelp[kind]}</p>
        <div className="form-row">
          <label className="field grow">
            <span>
              {kind === 'manifest' ? 'Manifest file' : kind === 'folder' ? 'Folder' : 'DICOM file'} (path on
              this computer)
            </span>
            <input
              type="text"
              value={source}
              required
              onChange={(e) => setSource(e.target.value)}
              placeholder={
                kind === 'manifest'
                  ? '/data/busi/manifest.csv'
                  : kind === 'folder'
                    ? '/data/scans'
                    : '/data/cine.dcm'
              }
            />
          </label>
          {canBrowse ? (
            <button type="button" className="button" onClick={() => void browse()} disabled={running}>
              Browse…
            </button>
          ) : null}
          <label className="field">
            <span>Dataset name</span>
            <input
              type="text"
              value={dataset}
              required
              aria-describedby={dataset.trim() ? undefined : 'dataset-name-hint'}
              onChange={(e) => setDataset(e.target.value)}
            />
          </label>
          {dataset.trim() ? null : (
            <span id="dataset-name-hint" className="field-hint">
              Name the dataset, e.g. after its source (a new name creates a new dataset).
            </span>
          )}

          <label className="field">
            <span>Label task</span>
            <input type="text" value={task} size={10} onChange={(e) => setTask(e.target.value)} />
          </label>
        </div>
        <div className="form-row">
          <label className="field checkbox">
            <input type="checkbox" checked={inPlace} onChange={(e) => setInPlace(e.target.checked)} />
            <span>Reference images in place (do not copy into the managed store)</span>
          </label>
          {inPlace ? null : (
            <label className="field checkbox">
              <input
                type="checkbox"
                checked={keepOriginal}
                onChange={(e) => setKeepOriginal(e.target.checked)}
              />
              <span>
                Keep embedded metadata in the copies (EXIF, XMP, comments: may hold names and dates)
              </span>
            </label>
          )}
          <label className="field checkbox">
            <input type="checkbox" checked={multiLabel} onChange={(e) => setMultiLabel(e.target.checked)} />
            <span>Multi-label (labels separated by ; or |)</span>
          </label>
        </div>
        {kind === 'dicom' ? (
          <div className="form-row">
            <label className="field">
              <span>Frames of cine files</span>
              <select value={frames} onChange={(e) => setFrames(e.target.value as typeof frames)}>
                <option value="all">All frames</option>
                <option value="first">First frame</option>
                <option value="middle">Middle frame</option>
              </select>
            </label>
            <label className="field checkbox">
              <input
                type="checkbox"
                checked={identifying}
                onChange={(e) => setIdentifying(e.target.checked)}
              />
              <span>Copy patient-identifying tags into metadata</span>
            </label>
          </div>
        ) : null}
        {/* DICOM files come from any source: a folder, one file, or manifest rows. */}
        <div className="form-row">
          <label className="field">
            <span>DICOM with burned-in annotation (names, dates drawn into the pixels)</span>
            <select value={burnedIn} onChange={(e) => setBurnedIn(e.target.value as BurnedInPolicy)}>
              <option value="warn">Import and count them (pixels as they are)</option>
              <option value="mask-band">Black out the text band above the scan before storing</option>
              <option value="skip">Skip them</option>
            </select>
          </label>
          {burnedIn === 'mask-band' ? (
            <label className="field">
              <span>Mask rectangle x,y,w,h (optional, kept for the dataset)</span>
              <input
                type="text"
                value={maskText}
                size={16}
                onChange={(e) => setMaskText(e.target.value)}
                placeholder="0,0,640,60"
              />
            </label>
          ) : null}
        </div>
        {kind === 'manifest' ? (
          <div className="form-row">
            <label className="field checkbox">
              <input
                type="checkbox"
                checked={pseudonymizeIds}
                onChange={(e) => setPseudonymizeIds(e.target.checked)}
              />
              <span>Replace patient_id values by keyed pseudonyms (the same as for DICOM patient ids)</span>
            </label>
            <label className="field checkbox">
              <input
                type="checkbox"
                checked={allowOutside}
                onChange={(e) => setAllowOutside(e.target.checked)}
              />
              <span>
                Read files outside the manifest&apos;s folder (../ paths, absolute paths, links that lead out)
              </span>
            </label>
          </div>
        ) : null}
        {kind === 'manifest' ? <ColumnMapping rows={mapping} onChange={setMapping} /> : null}
        <div className="form-row">
          <button
            type="submit"
            className="button primary"
            disabled={running || !source.trim() || !dataset.trim()}
          >
            {running ? 'Importing…' : 'Start import'}
          </button>
        </div>
      </form>
      {running ? (
        <ImportProgressView
          progress={progress}
          cancelling={cancelling}
          onCancel={async () => {
            setCancelling(true);
            const r = await api.catalog.cancelImport({ jobId: jobId! });
            if (!r.ok) setError(r.error);
          }}
        />
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      {report ? <ImportReportView report={report} /> : null}
      {report && report.imported > 0 && Object.keys(report.labels).length === 0 && onEditTasks ? (
        <p className="notice-panel" data-testid="import-no-classes">
          These images came in unlabeled.{' '}
          <button type="button" className="link-button" onClick={onEditTasks}>
            Add the task&apos;s classes in Label tasks
          </button>
        </p>
      ) : null}
    </section>
  );
};
