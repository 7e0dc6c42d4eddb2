import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DatasetStats } from '../../../shared/contract/catalog';
import { defaultCatalogPath } from '../../catalog/catalog-paths';
import { createCatalogService, type CatalogService } from '../../catalog/catalog-service';
import { createLogger } from '../../core/logger';
import { openPgCatalogStore } from '../../catalog-store/pg-catalog-store';
import { isPostgresUrl } from '../../catalog-store/workspace-location';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { createPgLabelJobs } from '../../catalog-store/pg-label-jobs';
import { createPgPool } from '../../catalog-store/pg-pool';
import { JOB_ACTIONS, JOB_USAGE, pgJobsPort, runJobAction } from './catalog-job-actions';
import { createSqliteRaterStore } from '../../catalog-store/sqlite-rater-store';
import { RATER_ACTIONS, RATER_USAGE, runRaterAction } from './catalog-rater-actions';
import { runStoreAction, STORE_ACTIONS } from './catalog-store-actions';

const datasetId = (catalog: CatalogService, name: string | undefined): number | undefined => {
  if (name === undefined) return undefined;
  const found = catalog.datasets().find((d) => d.name === name);
  if (!found) throw new UsageError(`no dataset named "${name}"`);
  return found.id;
};

const required = (value: string | undefined, flag: string): string => {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
};

const printStats = (io: CliIo, stats: DatasetStats[]): void => {
  if (stats.length === 0) io.out('The catalog is empty.');
  for (const d of stats) {
    io.out(`${d.name} (dataset ${d.id}): ${d.images} images, ${d.unlabeled} unlabeled`);
    if (d.burnedIn.images > 0)
      io.out(`  burned-in annotation: ${d.burnedIn.images} images (${d.burnedIn.masked} masked)`);
    for (const l of d.labels) io.out(`  ${l.label.padEnd(24)} ${l.count}`);
    for (const s of d.splits) {
      io.out(`  split ${s.name} (id ${s.id}, seed ${s.seed}):`);
      for (const p of s.parts) {
        io.out(
          `    ${p.part.padEnd(10)} ${String(p.images).padStart(6)} images in ${p.groups} groups  ${p.labels.map((l) => `${l.label} ${l.count}`).join(', ')}`,
        );
      }
    }
  }
};

/** Who the change is recorded for: --user, else the workspace's labeller, else the OS account. */
const whoAmI = (catalog: CatalogService, user: string | undefined): string =>
  user?.trim() || catalog.settings().userName || userInfo().username;

/**
 * `sonofuse catalog <stats|split|export|backup|rename-dataset|delete-dataset>`: reports and
 * maintenance on a catalog database.
 */
export const catalogCommand: CliCommand = {
  name: 'catalog',
  summary:
    'Catalog statistics, group-aware splits, export (CSV/JSON), online backup, dataset rename and delete, rater agreement and adjudication.',
  usage:
    'sonofuse catalog stats [--db FILE|postgres://…] [--dataset NAME] [--task NAME] [--json]\n' +
    '       sonofuse catalog split --dataset NAME [--db FILE|postgres://…] [--seed N] [--ratios 70,15,15] [--name NAME] [--json]\n' +
    '       sonofuse catalog export --dataset NAME --out FILE.csv|FILE.json [--db FILE|postgres://…] [--split ID]\n' +
    '       sonofuse catalog backup --out FILE [--db FILE]\n' +
    '       sonofuse catalog rename-dataset --dataset NAME --name NEW [--db FILE|postgres://…] [--user NAME] [--json]\n' +
    '       sonofuse catalog delete-dataset --dataset NAME --yes [--db FILE|postgres://…] [--user NAME] [--json]\n' +
    RATER_USAGE +
    '\n' +
    JOB_USAGE,
  async run(args, io) {
    const [action, ...rest] = args;
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        db: { type: 'string' },
        dataset: { type: 'string' },
        task: { type: 'string', default: 'label' },
        json: { type: 'boolean', default: false },
        seed: { type: 'string', default: '42' },
        ratios: { type: 'string', default: '70,15,15' },
        name: { type: 'string' },
        out: { type: 'string' },
        split: { type: 'string' },
        user: { type: 'string' },
        yes: { type: 'boolean', default: false },
        raters: { type: 'string' },
        assignee: { type: 'string' },
        size: { type: 'string' },
        batch: { type: 'string' },
      },
    });
    const actions: string[] = [
      'stats',
      'split',
      'export',
      'backup',
      'rename-dataset',
      'delete-dataset',
      ...RATER_ACTIONS,
      ...JOB_ACTIONS,
    ];
    if (!actions.includes(action ?? '')) throw new UsageError(`unknown action "${action ?? ''}"`);
    if (values.db !== undefined && isPostgresUrl(values.db)) {
      // A department catalog (PostgreSQL): read through the catalog store.
      const pgRaterAction = RATER_ACTIONS.find((a) => a === action);
      const pgJobAction = JOB_ACTIONS.find((a) => a === action);
      const pgStoreAction = STORE_ACTIONS.find((a) => a === action);
      if (action !== 'stats' && !pgRaterAction && !pgJobAction && !pgStoreAction)
        throw new UsageError(
          `catalog ${action} is not available on a postgres:// catalog yet (back it up with pg_dump; see the README)`,
        );
      const store = await openPgCatalogStore({
        url: values.db,
        logger: createLogger({ minLevel: 'warn', write: (l) => io.err(l) }),
      });
      try {
        const id =
          values.dataset === undefined
            ? undefined
            : (await store.datasets()).find((d) => d.name === values.dataset)?.id;
        if (values.dataset !== undefined && id === undefined)
          throw new UsageError(`no dataset named "${values.dataset}"`);
        if (pgJobAction) {
          required(values.dataset, '--dataset');
          const pool = createPgPool(values.db, { max: 1 });
          try {
            const jobs = pgJobsPort(createPgLabelJobs(pool, () => store.currentUser()));
            const user = await store.currentUser();
            await runJobAction(pgJobAction, jobs, { ...values, dataset: id!, user }, io);
          } finally {
            await pool.end();
          }
          return 0;
        }
        if (pgStoreAction) {
          // Attributed to the signed-in role (--user does not apply on a shared catalog).
          await runStoreAction(pgStoreAction, store, values, id, io);
          return 0;
        }
        if (pgRaterAction) {
          required(values.dataset, '--dataset');
          await runRaterAction(pgRaterAction, store.raters, { ...values, dataset: id! }, io);
          return 0;
        }
        const stats = await store.stats(id, values.task);
        if (values.json) io.out(JSON.stringify(stats));
        else printStats(io, stats);
        return 0;
      } finally {
        await store.close();
      }
    }
    const catalog = createCatalogService({
      dbPath: resolve(values.db ?? defaultCatalogPath()),
      logger: createLogger({ minLevel: 'warn', write: (l) => io.err(l) }),
    });
    try {
      const jobAction = JOB_ACTIONS.find((a) => a === action);
      if (jobAction) {
        const dataset = datasetId(catalog, required(values.dataset, '--dataset'))!;
        await runJobAction(
          jobAction,
          catalog,
          { ...values, dataset, user: whoAmI(catalog, values.user) },
          io,
        );
        return 0;
      }
      const raterAction = RATER_ACTIONS.find((a) => a === action);
      if (raterAction) {
        const dataset = datasetId(catalog, required(values.dataset, '--dataset'))!;
        await runRaterAction(raterAction, createSqliteRaterStore(catalog), { ...values, dataset }, io);
        return 0;
      }
      const storeAction = STORE_ACTIONS.find((a) => a === action);
      if (storeAction) {
        const user = (): string => whoAmI(catalog, values.user);
        await runStoreAction(
          storeAction,
          {
            renameDataset: async (input) => catalog.renameDataset({ ...input, user: user() }),
            deleteDataset: async (input) => catalog.deleteDataset({ ...input, user: user() }),
            createSplit: async (input) => catalog.createSplit(input),
            exportDataset: async (input) => catalog.export(input),
          },
          values,
          datasetId(catalog, required(values.dataset, '--dataset')),
          io,
        );
        return 0;
      }
      if (action === 'stats') {
        const stats = catalog.stats(datasetId(catalog, values.dataset), values.task);
        if (values.json) io.out(JSON.stringify({ db: catalog.dbPath, datasets: stats }));
        else printStats(io, stats);
      } else {
        const result = await catalog.backup(resolve(required(values.out, '--out')));
        io.out(
          values.json
            ? JSON.stringify(result)
            : `Backed up the catalog to ${result.path} (${result.bytes} bytes)`,
        );
      }
      return 0;
    } finally {
      catalog.close();
    }
  },
};
