import { useEffect, useState } from 'react';
import type { AppErrorShape, RunPrediction, SonoFuseApi } from '../../shared/contract/index';
import type { RunMethod } from '../../shared/run/run-config';
import { useApi } from '../api-context';

/** The largest page run:predictions answers. */
export const PREDICTION_PAGE = 5000;
/** How many confident errors the gallery shows. */
export const GALLERY_SIZE = 48;

/** Every validation and test prediction of a run, all methods, read page by page. */
export const readAllPredictions = async (
  api: SonoFuseApi,
  runId: number,
): Promise<{ ok: true; value: RunPrediction[] } | { ok: false; error: AppErrorShape }> => {
  const all: RunPrediction[] = [];
  for (let offset = 0; ; offset += PREDICTION_PAGE) {
    const r = await api.run.predictions({ runId, limit: PREDICTION_PAGE, offset, wrongOnly: false });
    if (!r.ok) return r;
    all.push(...r.value);
    if (r.value.length < PREDICTION_PAGE) return { ok: true, value: all };
  }
};

/**
 * The predictions the review needs: all of the run (confusion cells, label issues, how other
 * methods did) read once per run, and the selected method's confident errors on the chosen split
 * (wrong only, most confident first, as main sorts them) read per method and split.
 */
export const useRunPredictions = (runId: number, method: RunMethod, split: 'validation' | 'test') => {
  const api = useApi();
  const [all, setAll] = useState<RunPrediction[] | null>(null);
  const [wrong, setWrong] = useState<RunPrediction[]>([]);
  const [error, setError] = useState<AppErrorShape | null>(null);
  useEffect(() => {
    let live = true;
    setAll(null);
    void readAllPredictions(api, runId).then((r) => {
      if (!live) return;
      if (r.ok) setAll(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, runId]);
  useEffect(() => {
    let live = true;
    setWrong([]);
    void api.run
      .predictions({ runId, method, split, wrongOnly: true, limit: GALLERY_SIZE, offset: 0 })
      .then((r) => {
        if (!live) return;
        if (r.ok) setWrong(r.value);
        else setError(r.error);
      });
    return () => {
      live = false;
    };
  }, [api, runId, method, split]);
  return { all, wrong, error };
};
