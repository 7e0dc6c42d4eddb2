import { useEffect, useState } from 'react';
import type { AppErrorShape, AssistantStatus, Suggestion } from '../../shared/contract/index';
import { useApi } from '../api-context';

/**
 * The labeling assistant's status for one dataset and task: read once, then kept current by
 * `assistant:onUpdate`. Errors stay data (the assistant is optional: nothing waits on it).
 */
export const useAssistantStatus = (
  datasetId: number | null,
  task: string,
): { status: AssistantStatus | null; error: AppErrorShape | null } => {
  const api = useApi();
  const [status, setStatus] = useState<AssistantStatus | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  useEffect(() => {
    setStatus(null);
    setError(null);
    if (datasetId === null) return;
    let live = true;
    const off = api.assistant.onUpdate((s) => {
      if (s.datasetId === datasetId && s.task === task) setStatus(s);
    });
    void api.assistant.status({ datasetId, task }).then((r) => {
      if (!live) return;
      if (r.ok) setStatus((current) => current ?? r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
      off();
    };
  }, [api, datasetId, task]);
  return { status, error };
};

/**
 * Suggestions of the current model, by image id: of `imageIds` when given (the labeling view asks
 * for the image shown), else of every unlabeled image (the grid). Read again when the model
 * changes (a retrain) or `refresh` changes (labels written).
 */
export const useSuggestions = (
  datasetId: number | null,
  task: string,
  modelId: string | null,
  imageIds?: readonly number[],
  refresh: unknown = null,
): ReadonlyMap<number, Suggestion> => {
  const api = useApi();
  const [map, setMap] = useState<ReadonlyMap<number, Suggestion>>(new Map());
  const idsKey = imageIds ? imageIds.join(',') : '*';
  useEffect(() => {
    if (datasetId === null || modelId === null || (imageIds && imageIds.length === 0)) {
      setMap(new Map());
      return;
    }
    let live = true;
    void api.assistant
      .suggestions({ datasetId, task, ...(imageIds ? { imageIds: [...imageIds] } : {}) })
      .then((r) => {
        if (live && r.ok) setMap(new Map(r.value.map((s) => [s.imageId, s])));
      });
    return () => {
      live = false;
    };
    // `idsKey` stands for `imageIds` (a fresh array each render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, datasetId, task, modelId, idsKey, refresh]);
  return map;
};
