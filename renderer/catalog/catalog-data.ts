import type { DatasetStats, LabelTask } from '../../shared/contract/index';
import { useApi } from '../api-context';
import type { CallState } from '../use-call';
import { useQuery } from '../use-query';
import { useWorkspace } from './workspace';

/** Datasets of the catalog (re-read when the workspace revision changes, e.g. after an import). */
export const useDatasets = () => {
  const api = useApi();
  const { revision } = useWorkspace();
  return useQuery(() => api.catalog.datasets({}), `datasets:${revision}`);
};

/** Label tasks of the current dataset; an empty list without a dataset. */
export const useTasks = (): [CallState<LabelTask[]>, () => void] => {
  const api = useApi();
  const { datasetId, revision } = useWorkspace();
  const [state, reload] = useQuery(
    () =>
      datasetId === null
        ? Promise.resolve({ ok: true as const, value: [] })
        : api.catalog.tasks({ datasetId }),
    `tasks:${datasetId}:${revision}`,
  );
  return [state, reload];
};

/** The current task of the workspace, if the dataset has it. */
export const currentTask = (tasks: CallState<LabelTask[]>, name: string): LabelTask | null =>
  tasks.status === 'ok' ? (tasks.value.find((t) => t.name === name) ?? null) : null;

/** Per-class counts of the current dataset and task; `refreshKey` re-reads after edits. */
export const useStats = (refreshKey: string | number): [CallState<DatasetStats[]>, () => void] => {
  const api = useApi();
  const { datasetId, task, revision } = useWorkspace();
  const [state, reload] = useQuery(
    () => api.catalog.stats({ task, ...(datasetId !== null ? { datasetId } : {}) }),
    `stats:${datasetId}:${task}:${revision}:${refreshKey}`,
  );
  return [state, reload];
};
