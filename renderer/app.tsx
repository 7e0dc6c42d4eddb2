import { useState } from 'react';
import { JobsIndicator } from './components/jobs-indicator';
import { LogPanel } from './components/log-panel';
import { SystemPanel } from './components/system-panel';
import type { TransportKind } from './transport/pick-api';

export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'refused';

const sections = [{ id: 'system', label: 'System' }] as const;
type SectionId = (typeof sections)[number]['id'];

/** The application frame: title bar, section navigation, the active section and the status bar. */
export const App = ({
  transport,
  connection,
}: {
  transport: TransportKind;
  connection: ConnectionStatus;
}) => {
  const [section, setSection] = useState<SectionId>('system');
  return (
    <div className="app">
      <header className="titlebar">
        <h1>
          SonoFuse <span className="muted">fetal ultrasound workstation</span>
        </h1>
      </header>
      <nav className="sidebar" aria-label="Sections">
        {sections.map((s) => (
          <button
            key={s.id}
            type="button"
            className={section === s.id ? 'nav-item active' : 'nav-item'}
            aria-current={section === s.id ? 'page' : undefined}
            onClick={() => setSection(s.id)}
          >
            {s.label}
          </button>
        ))}
      </nav>
      <main className="content">
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
        <JobsIndicator />
      </footer>
    </div>
  );
};
