import type { Handlers } from './dispatcher';
import { checkOutputPath } from '../security/output-path';
import type { CatalogService } from '../catalog/catalog-service';

type CatalogChannel = Extract<keyof Handlers, `catalog:${string}`>;

/**
 * The `catalog:*` handlers: argument adapters and checks of the paths the window asks to write
 * (security/output-path.ts); the work is in the catalog service.
 */
export const createCatalogHandlers = (catalog: CatalogService): Pick<Handlers, CatalogChannel> => ({
  'catalog:datasets': () => catalog.datasets(),
  'catalog:renameDataset': (input) => catalog.renameDataset(input),
  'catalog:deleteDataset': (input) => catalog.deleteDataset(input),
  'catalog:settings': () => catalog.settings(),
  'catalog:setUserName': ({ name }) => catalog.setUserName(name),
  'catalog:setViewState': ({ view }) => catalog.setViewState(view),
  'catalog:import': (input) => catalog.import(input),
  'catalog:cancelImport': ({ jobId }) => catalog.cancelImport(jobId),
  'catalog:exportImportReport': async (input) =>
    catalog.exportImportReport({ ...input, path: checkOutputPath(input.path, [`.${input.format}`]) }),
  'catalog:images': (query) => catalog.images(query),
  'catalog:image': ({ id, task }) => catalog.image(id, task),
  'catalog:tasks': ({ datasetId }) => catalog.tasks(datasetId),
  'catalog:defineTask': (input) => catalog.defineTask(input),
  'catalog:editTask': (input) => catalog.editTask(input),
  'catalog:taskHistory': ({ datasetId, task, limit }) => catalog.taskHistory(datasetId, task, limit),
  'catalog:setFlag': (input) => catalog.setFlag(input),
  'catalog:setLabels': (input) => catalog.setLabels(input),
  'catalog:bulkRelabel': (input) => catalog.bulkRelabel(input),
  'catalog:setNote': (input) => catalog.setNote(input),
  'catalog:history': ({ imageId, limit }) => catalog.history(imageId, limit),
  'catalog:undo': ({ user, batchId }) => catalog.undo(user, undefined, batchId),
  'catalog:stats': ({ datasetId, task }) => catalog.stats(datasetId, task),
  'catalog:createSplit': (input) => catalog.createSplit(input),
  'catalog:splits': ({ datasetId }) => catalog.splits(datasetId),
  'catalog:export': async (input) =>
    catalog.export({ ...input, path: checkOutputPath(input.path, [`.${input.format}`]) }),
  'catalog:setBurnedInMask': (input) => catalog.setBurnedInMask(input),
  'catalog:backup': async ({ path }) => catalog.backup(checkOutputPath(path, ['.db', '.sqlite', '.sqlite3'])),
  'catalog:whoAmI': () => catalog.whoAmI(),
  'catalog:setRole': ({ role }) => catalog.setRole(role),
  'catalog:setRaters': (input) => catalog.setRaters(input),
  'catalog:agreement': ({ datasetId, task }) => catalog.agreement(datasetId, task),
  'catalog:adjudicationQueue': (input) => catalog.adjudicationQueue(input),
  'catalog:adjudicate': (input) => catalog.adjudicate(input),
  'catalog:createLabelJob': (input) => catalog.createLabelJob(input),
  'catalog:labelJobs': (input) => catalog.labelJobs(input),
  'catalog:labelJobQueue': ({ jobId, limit }) => catalog.labelJobQueue(jobId, limit),
});
