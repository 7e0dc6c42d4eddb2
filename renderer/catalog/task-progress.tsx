import type { DatasetStats } from '../../shared/contract/index';

/** "25 of 1,687 labelled" for the current dataset and task (nothing until the counts arrive). */
export const progressText = (stats: Pick<DatasetStats, 'images' | 'unlabeled'>): string =>
  `${(stats.images - stats.unlabeled).toLocaleString('en')} of ${stats.images.toLocaleString('en')} labelled`;

/** The task's progress over the whole dataset, whatever the filters show. */
export const TaskProgress = ({ stats, task }: { stats: DatasetStats | null; task: string }) =>
  stats ? (
    <span
      className="task-progress"
      data-testid="task-progress"
      title={`Task "${task}" over the whole dataset`}
    >
      {progressText(stats)}
    </span>
  ) : null;
