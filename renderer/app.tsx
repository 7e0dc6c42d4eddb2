import { useEffect, useRef, useState } from 'react';
import { AugmentScreen } from './augment/augment-screen';
import { BrowseProvider } from './catalog/browse-context';
import { CatalogScreen } from './catalog/catalog-screen';
import { CatalogStatus } from './catalog/catalog-status';
import { UndoProvider, undoMessage, useUndo, useUndoListener } from './catalog/undo-stack';
import { LabellerStatus, UserNameDialog } from './catalog/user-name';
import { WorkspaceProvider, useWorkspace } from './catalog/workspace';
import { JobsIndicator } from './components/jobs-indicator';
import { LogPanel } from './components/log-panel';
import { SystemPanel } from './components/system-panel';
import { useHotkeys } from './hooks/use-hotkeys';
import { ImportScreen } from './import/import-screen';
import { LabelingScreen } from './labeling/labeling-screen';
import { TasksScreen } from './tasks/tasks-screen';
import { TrainingScreen } from './training/training-screen';
import type { TransportKind } from './transport/pick-api';
import './styles/workstation.css';

export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'refused';

export const sections = [
  { id: 'catalog', label: 'Catalog' },
  { id: 'labeling', label: 'Labeling' },
  { id: 'import', label: 'Import' },
  { id: 'tasks', label: 'Label tasks' },
  { id: 'augment', label: 'Augmentation' },
  { id: 'training', label: 'Training' },
  { id: 'system', label: 'System' },
] as const;
export type SectionId = (typeof sections)[number]['id'];

const asSection = (id: string | null): SectionId | null =>
  sections.some((s) => s.id === id) ? (id as SectionId) : null;

/** The application frame: title bar, section navigation (Alt+1…7), the active section and the status bar. */
export const App = ({
  transport,
  connection,
  initialSection,
}: {
  transport: TransportKind;
  connection: ConnectionStatus;
  initialSection?: SectionId;
}) => (
  <WorkspaceProvider>
    <UndoProvider>
      <BrowseProvider>
        <Shell transport={transport} connection={connection} initialSection={initialSection} />
      </BrowseProvider>
    </UndoProvider>
  </WorkspaceProvider>
);

const Shell = ({
  transport,
  connection,
  initialSection,
}: {
  transport: TransportKind;
  connection: ConnectionStatus;
  initialSection?: SectionId;
}) => {
  const ws = useWorkspace();
  const undo = useUndo();
  // The screen the user was on (so a reload or restart in Labeling stays in Labeling).
  const [section, setSectionState] = useState<SectionId>(
    () => initialSection ?? asSection(ws.section) ?? 'catalog',
  );
  const navigated = useRef(false);
  const [askName, setAskName] = useState(false);
  const [undoNotice, setUndoNotice] = useState('');
  const setSection = (id: SectionId): void => {
    navigated.current = true;
    setSectionState(id);
    ws.setSection(id);
  };
  // The catalog's answer arrives after the first paint: follow it unless the user already moved.
  const saved = asSection(ws.section);
  useEffect(() => {
    if (!navigated.current && initialSection === undefined && saved) setSectionState(saved);
  }, [saved, initialSection]);
  useUndoListener((o) => setUndoNotice(undoMessage(o)));
  useHotkeys([
    ...sections.map((s, i) => ({
      key: String(i + 1),
      alt: true,
      group: 'Sections',
      description: s.label,
      inTextFields: true,
      run: () => setSection(s.id),
    })),
    // One undo for the whole app: the last label action of any screen, also from a filter field
    // (a multi-line note keeps its own text undo).
    {
      key: 'z',
      ctrl: true,
      group: 'Labeling',
      description: 'Undo the last label action',
      inTextFields: true,
      run: () => {
        const active = document.activeElement;
        if (active instanceof HTMLTextAreaElement) return;
        void undo.undo();
      },
    },
  ]);
  const needsName = ws.userLoaded && !ws.user;
  return (
    <div className="app">
      <header className="titlebar">
        <h1>
          SonoFuse <span className="muted">fetal ultrasound workstation</span>
        </h1>
      </header>
      <nav className="sidebar" aria-label="Sections">
        {sections.map((s, i) => (
          <button
            key={s.id}
            type="button"
            className={section === s.id ? 'nav-item active' : 'nav-item'}
            aria-current={section === s.id ? 'page' : undefined}
            aria-keyshortcuts={`Alt+${i + 1}`}
            onClick={() => setSection(s.id)}
          >
            {s.label}
            <kbd className="nav-key" aria-hidden="true">
              Alt {i + 1}
            </kbd>
          </button>
        ))}
      </nav>
      <main className={`content content-${section}`}>
        {section === 'catalog' ? (
          <CatalogScreen
            onOpen={() => setSection('labeling')}
            onImport={() => setSection('import')}
            onEditTasks={() => setSection('tasks')}
          />
        ) : null}
        {section === 'labeling' ? (
          <LabelingScreen onBack={() => setSection('catalog')} onEditTasks={() => setSection('tasks')} />
        ) : null}
        {section === 'import' ? <ImportScreen onEditTasks={() => setSection('tasks')} /> : null}
        {section === 'tasks' ? <TasksScreen onImport={() => setSection('import')} /> : null}
        {section === 'augment' ? <AugmentScreen /> : null}
        {section === 'training' ? <TrainingScreen onEditAugmentation={() => setSection('augment')} /> : null}
        {section === 'system' ? (
          <>
            <SystemPanel />
            <LogPanel />
          </>
        ) : null}
      </main>
      <footer className="statusbar">
        <span>{transport === 'electron-ipc' ? 'Desktop' : 'Browser mode'}</span>
        <span role="status" className={`conn conn-${connection}`}>
          {connection === 'open'
            ? 'Connected'
            : connection === 'connecting'
              ? 'Connecting…'
              : connection === 'refused'
                ? 'Connection refused'
                : 'Reconnecting…'}
        </span>
        <LabellerStatus onChange={() => setAskName(true)} />
        <CatalogStatus />
        <JobsIndicator />
        <span role="status" className="status-undo" data-testid="status-undo">
          {undoNotice}
        </span>
      </footer>
      {needsName || askName ? <UserNameDialog onClose={() => setAskName(false)} /> : null}
    </div>
  );
};
