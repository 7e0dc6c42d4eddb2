import { useState } from 'react';
import { AugmentScreen } from './augment/augment-screen';
import { BrowseProvider } from './catalog/browse-context';
import { CatalogScreen } from './catalog/catalog-screen';
import { CatalogStatus } from './catalog/catalog-status';
import { WorkspaceProvider } from './catalog/workspace';
import { JobsIndicator } from './components/jobs-indicator';
import { LogPanel } from './components/log-panel';
import { SystemPanel } from './components/system-panel';
import { useHotkeys } from './hooks/use-hotkeys';
import { ImportScreen } from './import/import-screen';
import { LabelingScreen } from './labeling/labeling-screen';
import { TasksScreen } from './tasks/tasks-screen';
import { TrainingScreen } from './training/training-screen';
import type { TransportKind } from './transport/pick-api';

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

/** The application frame: title bar, section navigation (Alt+1…7), the active section and the status bar. */
export const App = ({
  transport,
  connection,
  initialSection = 'catalog',
}: {
  transport: TransportKind;
  connection: ConnectionStatus;
  initialSection?: SectionId;
}) => {
  const [section, setSection] = useState<SectionId>(initialSection);
  useHotkeys(
    sections.map((s, i) => ({
      key: String(i + 1),
      alt: true,
      group: 'Sections',
      description: s.label,
      inTextFields: true,
      run: () => setSection(s.id),
    })),
  );
  return (
    <WorkspaceProvider>
      <BrowseProvider>
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
              <CatalogScreen onOpen={() => setSection('labeling')} onImport={() => setSection('import')} />
            ) : null}
            {section === 'labeling' ? <LabelingScreen onBack={() => setSection('catalog')} /> : null}
            {section === 'import' ? <ImportScreen /> : null}
            {section === 'tasks' ? <TasksScreen onImport={() => setSection('import')} /> : null}
            {section === 'augment' ? <AugmentScreen /> : null}
            {section === 'training' ? (
              <TrainingScreen onEditAugmentation={() => setSection('augment')} />
            ) : null}
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
            <CatalogStatus />
            <JobsIndicator />
          </footer>
        </div>
      </BrowseProvider>
    </WorkspaceProvider>
  );
};
