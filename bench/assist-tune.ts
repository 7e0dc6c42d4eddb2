/**
 * Tunes the informative strategies' settings on the VALIDATION part only: the assist-sim loop of
 * `sonofuse assist-sim` with the labeled validation part scored every round in place of the test
 * part (which this script never reads). Per setting it prints diverse-uncertainty's labels-to-95%
 * as a share of random order's, per seed, and the curve area against random's.
 * Run: `npx tsx bench/assist-tune.ts --db F --dataset D [--seeds 11,12,13] [--only name,...]`.
 * Prints figures; never fails.
 */
import { dirname, resolve } from 'node:path';
import { createCatalogService } from '../main/catalog/catalog-service';
import { createLogger } from '../main/core/logger';
import { readAssistantPool, resolveDataset } from '../main/assistant/assistant-data';
import { poolFeatureMatrix } from '../main/assistant/pool-features';
import { poolNoteMatrix } from '../main/assistant/note-features';
import { chooseOnValidation } from '../main/assistant/simulate-pool';
import { runSimulation, type ActiveOptions } from '../main/assistant/assist-sim';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dbPath = resolve(arg('--db') ?? 'catalog.db');
const seeds = (arg('--seeds') ?? '11,12,13').split(',').map(Number);
const only = arg('--only')?.split(',');

export const SETTINGS: Record<string, ActiveOptions> = {
  baseline: {},
  'cold-random': { coldStart: 'random' },
  'explore-0.25': { explore: 0.25 },
  'explore-0.5': { explore: 0.5 },
  'cold-random+explore-0.25': { coldStart: 'random', explore: 0.25 },
  'cold-random+explore-0.5': { coldStart: 'random', explore: 0.5 },
  'pool-2': { diverse: { poolFactor: 2 } },
  'pool-8': { diverse: { poolFactor: 8 } },
  kcenter: { diverse: { diversity: 'kcenter' } },
  entropy: { diverse: { kind: 'entropy' } },
  badge: { diverse: { diversity: 'badge' } },
  'entropy+kcenter': { diverse: { kind: 'entropy', diversity: 'kcenter' } },
  'entropy+cold-random': { coldStart: 'random', diverse: { kind: 'entropy' } },
  'entropy+pool-8': { diverse: { kind: 'entropy', poolFactor: 8 } },
  'density-1': { diverse: { density: 1 } },
  'cold-random+explore-0.25+density-1': { coldStart: 'random', explore: 0.25, diverse: { density: 1 } },
};

const catalog = createCatalogService({ dbPath, logger: createLogger({ minLevel: 'error' }) });
const dataset = resolveDataset(catalog, arg('--dataset') ?? '1');
const pool = readAssistantPool(catalog, dataset.id, 'label');
const features = await poolFeatureMatrix(pool, dirname(dbPath));
const notes = await poolNoteMatrix(pool.rows, dirname(dbPath));
catalog.close();
const { choice, data, validation } = chooseOnValidation(pool, features, notes);
const onValidation = { ...data, test: validation };
console.log(
  `${dataset.name}: pool ${data.pool.length}, validation ${validation.length}; head l2 ${choice.l2}, ` +
    `${choice.balanced ? 'balanced' : 'unweighted'}, notes ${choice.notes}; seeds ${seeds.join(',')}`,
);
const pct = (v: number) => `${Math.round(v * 100)}%`;
for (const [name, active] of Object.entries(SETTINGS)) {
  if (only && !only.includes(name)) continue;
  const t0 = performance.now();
  const sim = runSimulation(onValidation, {
    strategies: ['random', 'diverse-uncertainty'],
    seeds,
    start: 20,
    batch: 20,
    head: { l2: choice.l2, balanced: choice.balanced },
    active,
  });
  const of = (s: string) => sim.curves.filter((c) => c.strategy === s);
  const rnd = of('random');
  const du = of('diverse-uncertainty');
  const ratios = du.map(
    (c, i) => (c.labelsTo95 ?? data.pool.length) / (rnd[i]!.labelsTo95 ?? data.pool.length),
  );
  const above = du.filter((c, i) => c.auc > rnd[i]!.auc).length;
  console.log(
    `${name.padEnd(26)} to95 ${ratios.map(pct).join(' ')} (mean ${pct(ratios.reduce((a, b) => a + b, 0) / ratios.length)}, ` +
      `max ${pct(Math.max(...ratios))}); area ${du.map((c) => c.auc.toFixed(3)).join(' ')} vs ${rnd.map((c) => c.auc.toFixed(3)).join(' ')} ` +
      `above ${above}/${du.length}; first ${du.map((c) => pct(c.accuracy[0]!)).join(' ')} vs ${rnd.map((c) => pct(c.accuracy[0]!)).join(' ')}; ` +
      `${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}
