import type { CatalogService } from '../catalog/catalog-service';
import type { RaterStore } from './rater-store';

/**
 * The multi-rater store over a SQLite catalog: the synchronous catalog-raters.ts (through the
 * catalog service, which also announces the changes), answered as promises. The role is this
 * workstation's setting; the rater is the name the caller records.
 */
export const createSqliteRaterStore = (catalog: CatalogService): RaterStore => {
  const raters = () => catalog.raters();
  return {
    role: async () => ({ role: raters().role(), source: 'setting' }),
    ratersOfTask: async (datasetId, task) => raters().ratersOfTask(datasetId, task),
    taskOfImage: async (imageId, task) => {
      const datasetId = catalog.image(imageId, task).datasetId;
      return raters().ratersOfTask(datasetId, task);
    },
    setRaters: async (input) => catalog.setRaters(input),
    setRaterLabel: async (input) => raters().setRaterLabel(input),
    pageFor: async (page, task, viewer) => raters().pageFor(page, task, viewer),
    detailFor: async (detail, task, viewer, role) => raters().detailFor(detail, task, viewer, role),
    ratingsOf: async (imageId, taskId) => raters().ratingsOf(imageId, taskId),
    ratings: async (taskId, imageIds) => raters().ratings(taskId, imageIds),
    queue: async (input) => catalog.adjudicationQueue(input),
    adjudicate: async (input) => catalog.adjudicate(input),
    agreement: async (datasetId, task) => raters().agreement(datasetId, task),
    trainingLabels: async (taskId, imageIds) => raters().trainingLabels(taskId, imageIds),
  };
};
