import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AppErrorShape } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { AssistantStatusLine } from '../assistant/assistant-status';
import { SuggestionFilter } from '../assistant/suggestion-filter';
import { useAssistantStatus, useSuggestions } from '../assistant/use-assistant';
import { ErrorMessage } from '../components/error-message';
import { HelpOverlay } from '../components/help-overlay';
import { ModalDialog } from '../components/modal-dialog';
import { useHotkeys, type Hotkey } from '../hooks/use-hotkeys';
import { VirtualGrid } from '../components/virtual-grid';
import { shortcutForClass } from '../labeling/class-shortcuts';
import { useClassColours } from '../tasks/class-colours';
import { useBrowse } from './browse-context';
import { CatalogFilters } from './catalog-filters';
import { currentTask, useStats, useTasks } from './catalog-data';
import { ClassCounts } from './class-counts';
import { DatasetBar } from './dataset-bar';
import '../styles/catalog-empty.css';
import { describeFilters } from './filter-summary';
import { TaskProgress } from './task-progress';
import { undoMessage, useUndo, useUndoListener } from './undo-stack';
import { useMediaUrl } from './media-url';
import { ThumbnailCell } from './thumbnail-cell';
import { useWorkspace } from './workspace';

const TILE = { width: 168, height: 204 } as const;

/** Bulk labels of more images than this ask first. */
export const BULK_CONFIRM_ABOVE = 5;

const noop = (): void => {};

/** Why class keys label nothing: the task has no classes yet. */
export const noClassesText = (task: string): string =>
  `The task "${task}" has no classes yet, so class keys label nothing.`;
/** The grid's keys, for the "?" overlay (the grid's own key handler runs them). */
const gridKeys: Hotkey[] = [
  { key: '→', group: 'Move', description: 'Next image (arrows move in the grid)', run: noop },
  { key: 'PageDown', group: 'Move', description: 'Four rows down (PageUp: up)', run: noop },
  { key: 'Home', group: 'Move', description: 'First image (End: last)', run: noop },
  { key: ' ', group: 'Select', description: 'Select or unselect the focused image', run: noop },
  { key: 'a', ctrl: true, group: 'Select', description: 'Select every loaded image', run: noop },
  { key: 'Escape', group: 'Select', description: 'Clear the selection', run: noop },
  {
    key: '1',
    group: 'Label',
    description: 'Label the selection with class 1 (2-9, letters: the others)',
    run: noop,
  },
  { key: 'Enter', group: 'Label', description: 'Open the focused image in the labeling view', run: noop },
  { key: 'z', ctrl: true, group: 'Label', description: 'Undo the last label action (any screen)', run: noop },
  {
    key: '1',
    alt: true,
    group: 'Sections',
    description: 'Catalog (Alt+2 labeling … Alt+6 system)',
    run: noop,
  },
  { key: '?', group: 'Help', description: 'Show or hide this list', run: noop },
];

/**
 * The catalog browser: a windowed grid of thumbnails over the current filters, counts per class,
 * keyboard navigation (arrows, Home/End, Page keys), multi-select (Space, Ctrl+A, Escape) and bulk
 * labelling of the selection (a class key or the toolbar). Enter opens the labeling view.
 */
export const CatalogScreen = ({
  onOpen,
  onImport,
  onEditTasks,
}: {
  onOpen: () => void;
  onImport: () => void;
  onEditTasks?: () => void;
}) => {
  const api = useApi();
  const undo = useUndo();
  const ws = useWorkspace();
  const browse = useBrowse();
  const { pager, filters, setFilters, focus, setFocus, selected, setSelected } = browse;
  const mediaUrl = useMediaUrl();
  const [tasks] = useTasks();
  const task = currentTask(tasks, ws.task);
  const classes = useMemo(() => task?.classes.map((c) => c.name) ?? [], [task]);
  const [statsKey, setStatsKey] = useState(0);
  const [stats] = useStats(statsKey);
  const { colourOf } = useClassColours(task);
  const [columns, setColumns] = useState(1);
  const [bulkClass, setBulkClass] = useState('');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [notice, setNotice] = useState('');
  /** The last bulk change, shown with its own Undo until something else happens. */
  const [lastBulk, setLastBulk] = useState<number | null>(null);
  /** A bulk label waiting for confirmation. */
  const [pending, setPending] = useState<{ cls: string; ids: number[] } | null>(null);
  const [filtersKey, setFiltersKey] = useState(0);
  const gridRef = useRef<HTMLDivElement>(null);
  const [help, setHelp] = useState(false);
  useHotkeys([{ key: '?', group: 'Help', description: 'Shortcuts', run: () => setHelp((h) => !h) }]);
  const total = pager.total() ?? 0;
  const assistant = useAssistantStatus(ws.datasetId, ws.task);
  // Every unlabeled image's suggestion, read again only when a retrain brings a new model (the
  // assistant's list follows the labels at its retrain, so reading it after each change would
  // move the whole list again for nothing).
  const suggestions = useSuggestions(ws.datasetId, ws.task, assistant.status?.model?.id ?? null);

  // A notice belongs to the context it was said in: a new dataset, task or filter clears it
  // (and the bulk Undo beside it, which would otherwise act on a list no longer shown).
  const context = JSON.stringify([ws.datasetId, ws.task, filters]);
  useEffect(() => {
    setNotice('');
    setLastBulk(null);
  }, [context]);

  // Another window, an import or the labeling view changed the catalog: re-read what we show.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.catalog.onChanged(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        browse.refresh();
        setStatsKey((k) => k + 1);
      }, 250);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [api, browse.refresh]); // eslint-disable-line react-hooks/exhaustive-deps

  const onRange = useCallback((start: number, end: number) => void pager.request(start, end), [pager]);

  const applyBulk = async (cls: string, ids: number[]): Promise<void> => {
    if (ws.datasetId === null || ids.length === 0) return;
    // The label version each row showed: an image another workstation relabelled since is a
    // CONFLICT (nothing applied) instead of being overwritten. Rows no longer cached send none.
    const baseVersions = ids.flatMap((id) => {
      const row = pager.get(pager.indexOf(id));
      return row?.id === id ? [{ imageId: id, version: row.labelVersion }] : [];
    });
    const result = await api.catalog.bulkRelabel({
      datasetId: ws.datasetId,
      task: ws.task,
      imageIds: ids,
      to: [cls],
      user: ws.user,
      reason: 'bulk label from the catalog',
      baseVersions,
    });
    if (!result.ok) return setError(result.error);
    setError(null);
    const message = `Labelled ${result.value.changed} image${result.value.changed === 1 ? '' : 's'} as ${cls}.`;
    setNotice(message);
    if (result.value.batchId !== null) {
      undo.push({ batchId: result.value.batchId, description: message.slice(0, -1), imageIds: ids });
      setLastBulk(result.value.batchId);
    }
    setSelected(new Set());
    browse.refresh();
    setStatsKey((k) => k + 1);
  };

  /** Labels the selection; more than {@link BULK_CONFIRM_ABOVE} images ask first. */
  const bulkLabel = (cls: string): void => {
    if (ws.datasetId === null || selected.size === 0) return;
    const ids = [...selected];
    if (ids.length > BULK_CONFIRM_ABOVE) setPending({ cls, ids });
    else void applyBulk(cls, ids);
  };

  useUndoListener((o) => {
    setNotice(undoMessage(o));
    setLastBulk(null);
    browse.refresh();
    setStatsKey((k) => k + 1);
  });

  const toggle = (index: number): void => {
    const row = pager.get(index);
    if (!row) return;
    const next = new Set(selected);
    if (next.has(row.id)) next.delete(row.id);
    else next.add(row.id);
    setSelected(next);
  };
  /** Where a Shift+click range starts: the last image clicked without Shift. */
  const anchor = useRef<number | null>(null);
  /** Adds images `from`…`to` (either order) to the selection, as a file browser's Shift+click. */
  const selectRange = (from: number, to: number): void => {
    const next = new Set(selected);
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
      const row = pager.get(i);
      if (row) next.add(row.id);
    }
    setSelected(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = columns * 4;
    const move: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      PageDown: page,
      PageUp: -page,
    };
    if (e.key in move) {
      e.preventDefault();
      setFocus(Math.max(0, Math.min(total - 1, focus + move[e.key]!)));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      setFocus(e.key === 'Home' ? 0 : Math.max(0, total - 1));
    } else if (e.key === ' ') {
      e.preventDefault();
      toggle(focus);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (total > 0) onOpen();
    } else if (e.key === 'Escape') {
      setSelected(new Set());
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      const ids = new Set<number>();
      for (let i = 0; i < total; i++) {
        const row = pager.get(i);
        if (row) ids.add(row.id);
      }
      setSelected(ids);
    } else if (!e.ctrlKey && !e.metaKey && !e.altKey && selected.size > 0) {
      const at = classes.findIndex((_, i) => shortcutForClass(i) === e.key.toLowerCase());
      if (at >= 0) {
        e.preventDefault();
        bulkLabel(classes[at]!);
      } else if (classes.length === 0 && /^[1-9]$/.test(e.key)) {
        e.preventDefault();
        setNotice(noClassesText(ws.task));
      }
    }
  };

  const datasetStats =
    stats.status === 'ok' ? (stats.value.find((s) => s.id === ws.datasetId) ?? null) : null;
  const activeChip = filters.unlabeled ? '' : (filters.labels?.[0] ?? null);
  const pagerError = pager.error();

  return (
    <section className="screen catalog-screen" aria-labelledby="catalog-title">
      <header className="screen-header">
        <h2 id="catalog-title">Catalog</h2>
        <DatasetBar onImport={onImport} manage />
      </header>
      <CatalogFilters key={filtersKey} filters={filters} onChange={setFilters} classes={classes} />
      <TaskProgress stats={datasetStats} task={ws.task} />
      <ClassCounts
        stats={datasetStats}
        colourOf={colourOf}
        active={activeChip}
        onPick={(label) => {
          const next = { ...filters };
          delete next.labels;
          delete next.unlabeled;
          if (label === '') next.unlabeled = true;
          else if (label !== null) next.labels = [label];
          setFilters(next);
        }}
      />
      <div className="selection-bar" role="toolbar" aria-label="Selection">
        <span data-testid="result-count">
          {total.toLocaleString('en')} image{total === 1 ? '' : 's'}
          {selected.size > 0 ? ` · ${selected.size} selected` : ''}
        </span>
        <label className="field">
          <span>Label selection as</span>
          <select
            value={bulkClass}
            onChange={(e) => setBulkClass(e.target.value)}
            disabled={selected.size === 0}
          >
            <option value="">Choose a class</option>
            {classes.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button"
          disabled={selected.size === 0 || !bulkClass}
          onClick={() => bulkLabel(bulkClass)}
        >
          Apply
        </button>
        <button
          type="button"
          className="button"
          disabled={selected.size === 0}
          onClick={() => setSelected(new Set())}
        >
          Clear selection
        </button>
        <span className="muted hint-keys">
          <kbd>Space</kbd> select · <kbd>1</kbd>–<kbd>9</kbd> label selection · <kbd>Enter</kbd> open
        </span>
        <button type="button" className="button" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          Shortcuts <kbd>?</kbd>
        </button>
        <span className="notice-group">
          <span role="status" className="notice" data-testid="catalog-notice">
            {notice}
          </span>
          {lastBulk !== null ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                const batch = lastBulk;
                setLastBulk(null);
                void undo.undo(batch);
              }}
            >
              Undo
            </button>
          ) : null}
        </span>
      </div>
      {ws.datasetId !== null ? (
        <div className="assistant-bar">
          <SuggestionFilter
            datasetId={ws.datasetId}
            task={ws.task}
            user={ws.user}
            classes={classes}
            suggestions={suggestions}
            trainedOn={assistant.status?.model?.trainedOn ?? null}
            onShow={(ids) => setFilters({ ...filters, ids: ids ?? undefined })}
            onError={setError}
            onConfirmed={({ message, batchId, imageIds }) => {
              setError(null);
              setNotice(message);
              if (batchId !== null) {
                undo.push({ batchId, description: message.slice(0, -1), imageIds });
                setLastBulk(batchId);
              }
              browse.refresh();
              setStatsKey((k) => k + 1);
            }}
          />
          <AssistantStatusLine status={assistant.status} error={assistant.error} />
        </div>
      ) : null}
      {task && classes.length === 0 ? (
        <p className="notice-panel" data-testid="no-classes">
          {noClassesText(ws.task)}{' '}
          {onEditTasks ? (
            <button type="button" className="link-button" onClick={onEditTasks}>
              Add classes in Label tasks
            </button>
          ) : null}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      {pagerError ? <ErrorMessage error={pagerError} onRetry={browse.refresh} /> : null}
      {pager.total() === 0 && describeFilters(filters).length > 0 ? (
        <p className="empty-state" data-testid="no-match">
          No images match the filters ({describeFilters(filters).join(' · ')}).{' '}
          <button
            type="button"
            className="button"
            onClick={() => {
              setFilters({ sort: filters.sort });
              setFiltersKey((k) => k + 1);
            }}
          >
            Clear filters
          </button>
        </p>
      ) : null}
      <div className="grid-host" ref={gridRef}>
        <VirtualGrid
          label="Images"
          role="listbox"
          idPrefix="catalog-item"
          itemCount={total}
          itemWidth={TILE.width}
          itemHeight={TILE.height}
          gap={10}
          overscanRows={3}
          activeIndex={focus}
          scrollToIndex={focus}
          onRangeChange={onRange}
          onColumnsChange={setColumns}
          onKeyDown={onKeyDown}
          isSelected={(i) => {
            const row = pager.get(i);
            return row ? selected.has(row.id) : false;
          }}
          cellLabel={(i) => {
            const row = pager.get(i);
            return row ? `${row.file}: ${row.labels.join(', ') || 'unlabeled'}` : 'loading';
          }}
          renderItem={(i) => (
            <div
              className="cell-hit"
              onClick={(e) => {
                if (e.shiftKey) selectRange(anchor.current ?? focus, i);
                else {
                  anchor.current = i;
                  if (e.ctrlKey || e.metaKey) toggle(i);
                }
                setFocus(i);
              }}
              onDoubleClick={() => {
                setFocus(i);
                onOpen();
              }}
            >
              <ThumbnailCell
                row={pager.get(i)}
                mediaUrl={mediaUrl}
                colourOf={colourOf}
                suggestion={suggestions.get(pager.get(i)?.id ?? 0) ?? null}
              />
            </div>
          )}
        />
      </div>
      {help ? <HelpOverlay hotkeys={gridKeys} onClose={() => setHelp(false)} /> : null}
      {pending ? (
        <ModalDialog labelledBy="bulk-title" onClose={() => setPending(null)}>
          <h2 id="bulk-title">
            Label {pending.ids.length.toLocaleString('en')} images as {pending.cls}?
          </h2>
          <p>
            This replaces the current {ws.task} label of every selected image. It can be undone (Ctrl+Z, or
            Undo beside the message).
          </p>
          <div className="form-row">
            <button
              type="button"
              className="button primary"
              onClick={() => {
                const { cls, ids } = pending;
                setPending(null);
                void applyBulk(cls, ids);
              }}
            >
              Label {pending.ids.length.toLocaleString('en')} images
            </button>
            <button type="button" className="button" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </section>
  );
};
