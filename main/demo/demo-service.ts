import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImportOptions, type ImportReport } from '../../shared/contract/index';
import type { CatalogService } from '../catalog/catalog-service';
import { dataDir } from '../catalog/catalog-paths';
import { generateDemoDataset, type DemoDatasetOptions } from './demo-dataset';

/** The dataset name the demo lands under; "synthetic" is part of the name on purpose. */
export const DEMO_DATASET = 'demo-phantom (synthetic)';

export interface DemoInstallResult {
  datasetId: number;
  dataset: string;
  folder: string;
  generated: boolean;
  report: ImportReport;
}

/**
 * Installs the built-in demo workspace: generates the synthetic fetal-phantom set into the data
 * folder (once; the generator is deterministic) and imports its manifest into the catalog. Running
 * it again imports nothing new (the import is resumable and deduplicates by content hash).
 */
export const installDemo = async (
  catalog: CatalogService,
  options: Omit<DemoDatasetOptions, 'outDir'> & { folder?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<DemoInstallResult> => {
  const folder = options.folder ?? join(dataDir(options.env), 'demo-data');
  const manifest = join(folder, 'manifest.csv');
  const generated = !existsSync(manifest);
  if (generated) await generateDemoDataset({ ...options, outDir: folder });
  const report = await catalog.import(
    ImportOptions.parse({ source: manifest, dataset: DEMO_DATASET, user: 'demo' }),
  );
  return { datasetId: report.datasetId, dataset: DEMO_DATASET, folder, generated, report };
};
