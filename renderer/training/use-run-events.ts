import { useEffect, useState } from 'react';
import type { RunListItem } from '../../shared/contract/index';
import { addCurvePoint, type CurvePoint, type RunProgress } from '../../shared/run/run-progress';
import { useApi } from '../api-context';

/** Live progress and curves of runs, and a revision bumped on every status change (lists re-read). */
export const useRunEvents = () => {
  const api = useApi();
  const [progress, setProgress] = useState<Record<number, RunProgress>>({});
  const [curves, setCurves] = useState<Record<number, CurvePoint[]>>({});
  const [revision, setRevision] = useState(0);
  const [lastStatus, setLastStatus] = useState<{
    runId: number;
    status: RunListItem['status'];
    error: string | null;
  } | null>(null);
  useEffect(() => {
    const offProgress = api.run.onProgress((p) => {
      setProgress((all) => ({ ...all, [p.runId]: p }));
      if (p.curve) setCurves((all) => ({ ...all, [p.runId]: addCurvePoint(all[p.runId] ?? [], p.curve!) }));
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
  return { progress, curves, revision, lastStatus };
};
