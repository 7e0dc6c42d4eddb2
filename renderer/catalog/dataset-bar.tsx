import { useEffect, useMemo } from 'react';
import { ErrorMessage } from '../components/error-message';
import { DatasetManage } from './dataset-manage';
import { DemoOffer } from './demo-offer';
import { useDatasets, useTasks } from './catalog-data';
import { useWorkspace } from './workspace';

/**
 * Dataset and label task: the choices every screen works within (the task is remembered per
 * dataset; the labeller's name is in the status bar). Picks the first dataset (and its first task)
 * by itself when the stored choice no longer exists. With `manage`, Rename… and Delete… the dataset.
 */
export const DatasetBar = ({ onImport, manage = false }: { onImport?: () => void; manage?: boolean }) => {
  const ws = useWorkspace();
  const [datasets, reloadDatasets] = useDatasets();
  const [tasks] = useTasks();
  const list = useMemo(() => (datasets.status === 'ok' ? datasets.value : []), [datasets]);
  const taskList = useMemo(() => (tasks.status === 'ok' ? tasks.value : []), [tasks]);
  const current = list.find((d) => d.id === ws.datasetId) ?? null;

  // Choices made for the user wait for the workspace's saved view (catalog:settings), or they would
  // replace it.
  useEffect(() => {
    if (datasets.status !== 'ok' || !ws.userLoaded) return;
    if (list.length > 0 && !list.some((d) => d.id === ws.datasetId)) ws.setDatasetId(list[0]!.id);
  }, [datasets.status, list, ws]);
  useEffect(() => {
    if (!ws.userLoaded) return;
    if (taskList.length > 0 && !taskList.some((t) => t.name === ws.task)) ws.setTask(taskList[0]!.name);
  }, [taskList, ws]);

  if (datasets.status === 'error') return <ErrorMessage error={datasets.error} onRetry={reloadDatasets} />;
  if (datasets.status === 'ok' && list.length === 0)
    return (
      <div className="toolbar empty-state">
        <span>The catalog has no datasets yet.</span>
        {onImport ? (
          <button type="button" className="button primary" onClick={onImport}>
            Import images…
          </button>
        ) : null}
        <DemoOffer onInstalled={reloadDatasets} />
      </div>
    );
  return (
    <div className="toolbar" role="group" aria-label="Workspace">
      <label className="field">
        <span>Dataset</span>
        <select
          value={ws.datasetId ?? ''}
          onChange={(e) => ws.setDatasetId(e.target.value ? Number(e.target.value) : null)}
        >
          {list.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.images.toLocaleString('en')})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Task</span>
        <select value={ws.task} onChange={(e) => ws.setTask(e.target.value)}>
          {taskList.length === 0 ? <option value={ws.task}>{ws.task}</option> : null}
          {taskList.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name} ({t.kind === 'multi' ? 'multi-label' : 'single-label'})
            </option>
          ))}
        </select>
      </label>
      {manage && current ? (
        <DatasetManage
          dataset={current}
          onChanged={() => {
            reloadDatasets();
            ws.bump();
          }}
        />
      ) : null}
    </div>
  );
};
