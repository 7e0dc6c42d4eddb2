import { join } from 'node:path';
import { AppError } from '../../shared/contract/result';
import type { CatalogStore } from '../catalog-store/catalog-store';
import { checkOutputPath } from '../security/output-path';
import type { Handlers } from './dispatcher';

type CatalogChannel = Extract<keyof Handlers, `catalog:${string}`>;

/** The catalog calls a shared (PostgreSQL) catalog serves through its CatalogStore. */
const STORE_CHANNELS = [
  'catalog:datasets',
  'catalog:renameDataset',
  'catalog:deleteDataset',
  'catalog:images',
  'catalog:image',
  'catalog:tasks',
  'catalog:defineTask',
  'catalog:editTask',
  'catalog:taskHistory',
  'catalog:setLabels',
  'catalog:bulkRelabel',
  'catalog:undo',
  'catalog:setNote',
  'catalog:setFlag',
  'catalog:history',
  'catalog:stats',
  'catalog:splits',
  'catalog:createSplit',
  'catalog:export',
  'catalog:whoAmI',
  'catalog:setRole',
  'catalog:setRaters',
  'catalog:agreement',
  'catalog:adjudicationQueue',
  'catalog:adjudicate',
  'catalog:createLabelJob',
  'catalog:labelJobs',
  'catalog:labelJobQueue',
] as const;

/** Calls that stay on this workstation (its local catalog): the user's name and saved view. */
const LOCAL_CHANNELS: readonly CatalogChannel[] = [
  'catalog:settings',
  'catalog:setUserName',
  'catalog:setViewState',
];

/**
 * The handlers of a department workspace: the catalog calls go through `store` (PostgreSQL),
 * attributed to the signed-in role; calls the shared mode does not serve yet answer UNAVAILABLE
 * (typed) instead of touching the workstation's local catalog. Other domains are unchanged.
 */
export const withCatalogStore = (handlers: Handlers, store: CatalogStore): Handlers => {
  const unavailable = (channel: string) => () => {
    throw new AppError('UNAVAILABLE', `${channel} is not available on a shared (PostgreSQL) catalog yet`);
  };
  const refused = Object.fromEntries(
    (Object.keys(handlers) as Array<keyof Handlers>)
      .filter(
        (c): c is CatalogChannel =>
          c.startsWith('catalog:') &&
          !LOCAL_CHANNELS.includes(c as CatalogChannel) &&
          !(STORE_CHANNELS as readonly string[]).includes(c),
      )
      .map((c) => [c, unavailable(c)]),
  );
  const served: Pick<Handlers, (typeof STORE_CHANNELS)[number]> = {
    'catalog:datasets': () => store.datasets(),
    // Attributed to the signed-in role, whatever user name the client sends.
    'catalog:renameDataset': ({ datasetId, name }) => store.renameDataset({ datasetId, name }),
    'catalog:deleteDataset': ({ datasetId, confirmName }) => store.deleteDataset({ datasetId, confirmName }),
    'catalog:images': (q) => store.images(q),
    'catalog:image': ({ id, task }) => store.image(id, task),
    'catalog:tasks': ({ datasetId }) => store.tasks(datasetId),
    'catalog:defineTask': (input) => store.defineTask(input),
    'catalog:editTask': ({ user: _user, ...input }) => store.editTask(input),
    'catalog:taskHistory': ({ datasetId, task, limit }) => store.taskHistory(datasetId, task, limit),
    'catalog:setLabels': (input) => store.setLabels(input),
    'catalog:bulkRelabel': (input) => store.bulkRelabel(input),
    // The undoer is the signed-in role; a given user name narrows to that role's own newest batch.
    'catalog:undo': ({ user, batchId }) => store.undo({ batchId, mine: user !== undefined }),
    'catalog:setNote': (input) => store.setNote(input),
    'catalog:setFlag': (input) => store.setFlag(input),
    'catalog:history': ({ imageId, limit }) => store.history(imageId, limit),
    'catalog:stats': ({ datasetId, task }) => store.stats(datasetId, task),
    'catalog:splits': ({ datasetId }) => store.splits(datasetId),
    'catalog:createSplit': (input) => store.createSplit(input),
    // The same output-path check as the local catalog's export (catalog-handlers.ts).
    'catalog:export': (input) =>
      store.exportDataset({ ...input, path: checkOutputPath(input.path, [`.${input.format}`]) }),
    // The work split: batches created by the signed-in role (pg-label-jobs.ts).
    'catalog:createLabelJob': ({ user: _user, ...input }) => store.jobs.create(input),
    'catalog:labelJobs': (input) => store.jobs.list(input),
    'catalog:labelJobQueue': ({ jobId, limit }) => store.jobs.queue(jobId, limit),
    'catalog:whoAmI': async () => ({
      user: await store.currentUser(),
      role: (await store.isReviewer()) ? 'reviewer' : 'labeler',
      roleSource: 'database',
    }),
    // Several raters per image (rater-store.ts): the role is the database's, attributed to current_user.
    'catalog:setRole': () => {
      throw new AppError(
        'NOT_SUPPORTED',
        'on a shared catalog the role is the database role (membership of sonofuse_reviewer)',
      );
    },
    'catalog:setRaters': (input) => store.raters.setRaters(input),
    'catalog:agreement': ({ datasetId, task }) => store.raters.agreement(datasetId, task),
    'catalog:adjudicationQueue': (input) => store.raters.queue(input),
    'catalog:adjudicate': (input) => store.raters.adjudicate(input),
  };
  return { ...handlers, ...refused, ...served } as Handlers;
};

/** Image files of a shared catalog: its store-relative paths inside the shared store folder. */
export const storeMediaSource = (store: CatalogStore, storeDir: string) => {
  const path = async (id: number): Promise<string> => {
    const relative = await store.storedPath(id);
    if (relative === null) throw new AppError('NOT_FOUND', `image ${id} has no copy in the shared store`);
    return join(storeDir, relative);
  };
  return {
    filePath: (id: number): string => {
      throw new AppError('UNAVAILABLE', `image ${id}: a shared catalog's files are read through viewPath`);
    },
    viewPath: path,
    thumbnailPath: path,
  };
};
