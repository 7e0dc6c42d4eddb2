import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { QueueMode } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { AssistantStatusLine } from '../assistant/assistant-status';
import { useLabelingQueue } from '../assistant/labeling-queue';
import { QueueModePicker } from '../assistant/queue-mode-picker';
import { useAssistantStatus, useSuggestions } from '../assistant/use-assistant';
import { useBrowse } from '../catalog/browse-context';
import { currentTask, useStats, useTasks } from '../catalog/catalog-data';
import { noClassesText } from '../catalog/catalog-screen';
import { describeFilters } from '../catalog/filter-summary';
import { TaskProgress } from '../catalog/task-progress';
import { useUndo } from '../catalog/undo-stack';
import { DatasetBar } from '../catalog/dataset-bar';
import { useMediaUrl } from '../catalog/media-url';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { HelpOverlay } from '../components/help-overlay';
import { ImageViewer } from '../components/image-viewer';
import { hotkeyLabel, useHotkeys } from '../hooks/use-hotkeys';
import { useClassColours } from '../tasks/class-colours';
import { ClassButtons } from './class-buttons';
import { FlagPanel } from './flag-panel';
import { ImageFacts } from './image-facts';
import { createBatchQueue, LabelBatches } from './label-batches';
import { LabelConflictDialog } from './label-conflict-dialog';
import { ChangeHistory } from './label-history';
import { ACCEPT_KEY, labelingHotkeys } from './labeling-hotkeys';
import { NoteEditor } from './note-editor';
import { useLabelingSession } from './use-labeling-session';
import { initialViewer, viewerReducer } from './viewer-state';

/**
 * The labeling workstation: the large image with zoom/pan and window/level, the task's classes
 * with their keys, the clinical note (autosaved) and the image's label and note history. Every
 * action has a key; "?" lists them all.
 */
export const LabelingScreen = ({ onBack, onEditTasks }: { onBack: () => void; onEditTasks?: () => void }) => {
  const api = useApi();
  const ws = useWorkspace();
  const browse = useBrowse();
  const undoStack = useUndo();
  const mediaUrl = useMediaUrl();
  const [tasks, reloadTasks] = useTasks();
  const task = currentTask(tasks, ws.task);
  const [queueMode, setQueueMode] = useState<{ mode: QueueMode; className: string | null }>({
    mode: 'import',
    className: null,
  });
  const queue = useLabelingQueue(api, ws.datasetId, ws.task, queueMode.mode, queueMode.className);
  /** The picked batch of "My batches": while one is picked, the queue follows it. */
  const [batchId, setBatchId] = useState<number | null>(null);
  const batchQueue = useMemo(
    () => (batchId === null ? null : createBatchQueue(api, batchId)),
    [api, batchId],
  );
  useEffect(() => setBatchId(null), [ws.datasetId, ws.task]);
  const session = useLabelingSession(task, batchQueue ?? queue);
  const assistant = useAssistantStatus(ws.datasetId, ws.task);
  const shownId = session.row?.id;
  const suggestions = useSuggestions(
    ws.datasetId,
    ws.task,
    assistant.status?.model?.id ?? null,
    shownId === undefined ? [] : [shownId],
    session.changes,
  );
  const suggestionsRef = useRef(suggestions);
  suggestionsRef.current = suggestions;
  const suggestion = shownId === undefined ? null : (suggestions.get(shownId) ?? null);
  const [changedElsewhere, setChangedElsewhere] = useState(0);
  useEffect(() => api.catalog.onChanged(() => setChangedElsewhere((n) => n + 1)), [api]);
  const [stats] = useStats(`${session.changes}:${changedElsewhere}`);
  const datasetStats =
    stats.status === 'ok' ? (stats.value.find((d) => d.id === ws.datasetId) ?? null) : null;
  const filtered = describeFilters(browse.filters);
  const noClasses = task !== null && task.classes.length === 0;
  const [view, dispatch] = useReducer(viewerReducer, initialViewer);
  const [help, setHelp] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const { colourOf } = useClassColours(task);

  const hotkeys = labelingHotkeys(
    task,
    {
      press: (name) => void session.press(name),
      undo: () => void session.undo(),
      skip: () => void session.skip(),
      flag: () => void session.flag(),
      next: session.next,
      previous: session.previous,
      editNote: () => noteRef.current?.focus(),
      back: onBack,
      help: () => setHelp(true),
      toggleAutoAdvance: () => session.setAutoAdvance(!session.autoAdvance),
      acceptSuggestion: () => void session.accept((id) => suggestionsRef.current.get(id) ?? null),
    },
    dispatch,
  );
  // The "?" sheet is a modal: while it is open it owns the keyboard (Escape or "?" close it only).
  // Ctrl+Z is bound once by the app shell (one undo for every screen); the sheet still lists it.
  useHotkeys(
    [
      ...hotkeys.filter((h) => !(h.ctrl && h.key === 'z')),
      // With no classes a class key says why nothing happens, instead of nothing.
      ...(noClasses
        ? ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((key) => ({
            key,
            group: 'Classes',
            description: 'No classes yet',
            run: () => session.setNotice(`${noClassesText(ws.task)} Add them under Label tasks (Alt+4).`),
          }))
        : []),
    ],
    !help,
  );

  const { row, detail } = session;
  const shortcut = (key: string, extra: { ctrl?: boolean } = {}) => hotkeyLabel({ key, ...extra });

  return (
    <section className="screen labeling-screen" aria-labelledby="labeling-title">
      <header className="screen-header">
        <h2 id="labeling-title">Labeling</h2>
        <DatasetBar />
      </header>
      {tasks.status === 'error' ? <ErrorMessage error={tasks.error} onRetry={reloadTasks} /> : null}
      {session.error ? <ErrorMessage error={session.error} onRetry={session.retry} /> : null}
      <div className="labeling-toolbar" role="toolbar" aria-label="Labeling actions">
        <button type="button" className="button" onClick={onBack} aria-keyshortcuts="Escape">
          ← Catalog
        </button>
        <span className="position" data-testid="position">
          {session.total === 0 ? 'No images' : `${session.focus + 1} / ${session.total.toLocaleString('en')}`}
        </span>
        <span className="file-name" data-testid="current-file">
          {row?.file ?? ''}
        </span>
        <TaskProgress stats={datasetStats} task={ws.task} />
        {filtered.length > 0 ? (
          <span className="filter-active" data-testid="filter-active">
            Filtered: {filtered.join(' · ')}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => browse.setFilters({ sort: browse.filters.sort })}
            >
              Show all
            </button>
          </span>
        ) : null}
        <span className="toolbar-gap" />
        <button type="button" className="button" onClick={session.previous} aria-keyshortcuts="ArrowLeft">
          Previous
        </button>
        <button type="button" className="button" onClick={session.next} aria-keyshortcuts="ArrowRight">
          Next
        </button>
        <button type="button" className="button" onClick={() => void session.skip()} aria-keyshortcuts="S">
          Skip <kbd>S</kbd>
        </button>
        <button
          type="button"
          className={session.flagged ? 'button flagged' : 'button'}
          aria-pressed={session.flagged}
          onClick={() => void session.flag()}
          aria-keyshortcuts="F"
        >
          {session.flagged ? 'Flagged' : 'Flag for review'} <kbd>F</kbd>
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void session.undo()}
          aria-keyshortcuts="Control+Z"
        >
          Undo <kbd>{shortcut('z', { ctrl: true })}</kbd>
        </button>
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={session.autoAdvance}
            onChange={(e) => session.setAutoAdvance(e.target.checked)}
          />
          <span>Auto-advance</span>
        </label>
        <button type="button" className="button" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          Shortcuts <kbd>?</kbd>
        </button>
      </div>
      <div className="assistant-bar" role="group" aria-label="Labeling assistant">
        <QueueModePicker
          mode={queueMode.mode}
          className={queueMode.className}
          classes={task?.classes.map((c) => c.name) ?? []}
          onChange={(mode, className) => setQueueMode({ mode, className })}
        />
        <AssistantStatusLine status={assistant.status} error={assistant.error} />
      </div>
      {ws.datasetId !== null && task ? (
        <LabelBatches
          datasetId={ws.datasetId}
          task={task.name}
          user={ws.user}
          activeId={batchId}
          onPick={(job) => setBatchId(job?.id ?? null)}
          refresh={session.changes}
        />
      ) : null}
      <p role="status" className="notice" data-testid="labeling-notice">
        {session.notice}
      </p>
      {session.total === 0 ? (
        <p className="empty-state">No images match the current filters. Change them in the catalog.</p>
      ) : (
        <div className="labeling-body">
          <div className="labeling-image">
            {row ? (
              <ImageViewer
                src={mediaUrl(row.id, 'image')}
                alt={`Ultrasound image ${row.file}`}
                state={view}
                dispatch={dispatch}
              />
            ) : (
              <p className="muted">Loading…</p>
            )}
          </div>
          <aside className="labeling-side" aria-label="Labels, note and history">
            {noClasses ? (
              <p className="notice-panel" data-testid="no-classes">
                {noClassesText(ws.task)}{' '}
                {onEditTasks ? (
                  <button type="button" className="link-button" onClick={onEditTasks}>
                    Add classes in Label tasks
                  </button>
                ) : null}
              </p>
            ) : task ? (
              <ClassButtons
                task={task}
                current={session.labels}
                colourOf={colourOf}
                onPress={(name) => void session.press(name)}
                busy={session.busy}
                suggestion={suggestion}
                acceptKey={hotkeyLabel({ key: ACCEPT_KEY })}
              />
            ) : (
              <p className="muted">This dataset has no label task yet: create one under Label tasks.</p>
            )}
            {detail ? (
              <>
                <NoteEditor
                  key={`${detail.id}-${session.noteEpoch}`}
                  ref={noteRef}
                  imageId={detail.id}
                  saved={detail.note ?? ''}
                  save={async (text) => {
                    const result = await api.catalog.setNote({
                      imageId: detail.id,
                      text,
                      user: ws.user,
                      reason: '',
                    });
                    if (result.ok && result.value.batchId !== null)
                      undoStack.push({
                        batchId: result.value.batchId,
                        description: `note of ${detail.file}`,
                        imageIds: [detail.id],
                      });
                    return result;
                  }}
                  onSaved={() => session.noteSaved(detail.id)}
                  onEscape={() => noteRef.current?.blur()}
                />
                <FlagPanel
                  flag={detail.flag}
                  reason={session.flagReason}
                  onReason={session.setFlagReason}
                  onToggle={() => void session.flag()}
                  busy={session.busy}
                />
                <ImageFacts detail={detail} />
                <ChangeHistory entries={detail.history} kind="label" title="Label history" />
                <ChangeHistory entries={detail.history} kind="note" title="Note history" />
                <ChangeHistory entries={detail.history} kind="flag" title="Flag history" />
              </>
            ) : null}
          </aside>
        </div>
      )}
      {help ? <HelpOverlay hotkeys={hotkeys} onClose={() => setHelp(false)} /> : null}
      {session.conflict ? (
        <LabelConflictDialog
          conflict={session.conflict.conflict}
          mine={session.conflict.mine}
          kind={session.conflict.kind}
          file={session.conflict.file}
          onChoose={(choice) => void session.resolveConflict(choice)}
        />
      ) : null}
    </section>
  );
};
