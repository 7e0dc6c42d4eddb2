import { useEffect, useState } from 'react';
import type { LogEntry } from '../../shared/contract/index';
import { useApi } from '../api-context';

const MAX = 200;

/** Recent main-process log entries, then live ones from `app:onLog`. */
export const LogPanel = () => {
  const api = useApi();
  const [entries, setEntries] = useState<LogEntry[]>([]);
  useEffect(() => {
    let live = true;
    const unsubscribe = api.app.onLog((entry) => setEntries((list) => [...list, entry].slice(-MAX)));
    void api.app.recentLogs({ limit: 100 }).then((result) => {
      if (live && result.ok) setEntries((list) => [...result.value, ...list].slice(-MAX));
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
  return (
    <section aria-labelledby="log-title" className="panel">
      <h2 id="log-title">Activity log</h2>
      {entries.length === 0 ? (
        <p className="muted">No log entries yet.</p>
      ) : (
        <ol className="log" aria-live="polite" aria-label="Log entries" tabIndex={0}>
          {entries.map((e, i) => (
            <li key={`${e.time}-${i}`} className={`log-${e.level}`}>
              <time>{e.time.slice(11, 19)}</time> <span className="source">{e.source}</span> {e.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
