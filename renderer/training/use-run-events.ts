import { useEffect, useRef, useState } from 'react';
import type { RunListItem } from '../../shared/contract/index';
import { addCurvePoint, type RunCurvePoint, type RunProgress } from '../../shared/run/run-progress';
import { useApi } from '../api-context';

/**
 * Live progress and curves of runs, and a revision bumped on every status change (lists re-read).
 * The curves of `runIds` (the runs on screen) are first read from main (`run:curves`, stored per
 * seed and method), so a reloaded window shows every finished epoch; live points merge on top.
 */
export const useRunEvents = (runIds: readonly number[] = []) => {
  const api = useApi();
  const [progress, setProgress] = useState<Record<number, RunProgress>>({});
  const [curves, setCurves] = useState<Record<number, RunCurvePoint[]>>({});
  const [revision, setRevision] = useState(0);
  const [lastStatus, setLastStatus] = useState<{
    runId: number;
    status: RunListItem['status'];
    error: string | null;
  } | null>(null);
  const loaded = useRef(new Set<number>());
  useEffect(() => {
    const offProgress = api.run.onProgress((p) => {
      setProgress((all) => ({ ...all, [p.runId]: p }));
      if (p.curve) {
        const point = { ...p.curve, seed: p.seed };
        setCurves((all) => ({ ...all, [p.runId]: addCurvePoint(all[p.runId] ?? [], point) }));
      }
    });
    const offStatus = api.run.onStatus((s) => {
      setLastStatus(s);
      setRevision((r) => r + 1);
    });
    return () => {
      offProgress();
      offStatus();
    };
  }, [api]);
  const key = [...new Set(runIds)].sort((a, b) => a - b).join(',');
  useEffect(() => {
    for (const runId of key ? key.split(',').map(Number) : []) {
      if (loaded.current.has(runId)) continue;
      loaded.current.add(runId);
      void api.run.curves({ runId }).then((r) => {
        if (!r.ok) return loaded.current.delete(runId);
        // Stored points first, the live ones that arrived meanwhile on top (they are newer).
        setCurves((all) => ({
          ...all,
          [runId]: (all[runId] ?? []).reduce(addCurvePoint, r.value),
        }));
      });
    }
  }, [api, key]);
  return { progress, curves, revision, lastStatus };
};
