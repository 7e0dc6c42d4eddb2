import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AssistStrategy, type AssistSimResult } from '../../../shared/contract/assistant';
import { AppError } from '../../../shared/contract/result';
import { defaultCatalogPath } from '../../catalog/catalog-paths';
import { createCatalogService } from '../../catalog/catalog-service';
import { createLogger } from '../../core/logger';
import { readAssistantPool, resolveDataset } from '../../assistant/assistant-data';
import { writeAssistSim } from '../../assistant/assist-sim-store';
import { poolFeatureMatrix } from '../../assistant/pool-features';
import { simulatePool } from '../../assistant/simulate-pool';
import { poolNoteMatrix } from '../../assistant/note-features';
import { UsageError, type CliCommand, type CliIo } from '../command';

const posInt = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} takes a positive integer, got "${value}"`);
  return n;
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The human-readable report: per strategy the mean curve, area, labels to 95% and suggestions. */
export const formatAssistSim = (r: AssistSimResult): string[] => {
  const lines = [
    `Pool ${r.n} training-part images, test ${r.testSize}; start ${r.start}, batch ${r.batch}, seeds ${r.seeds.join(',')}`,
    `All-labels test accuracy: ${pct(r.allLabelsAccuracy)} (95% of it: ${pct(0.95 * r.allLabelsAccuracy)})`,
  ];
  const strategies = [...new Set(r.curves.map((c) => c.strategy))];
  for (const s of strategies) {
    const cs = r.curves.filter((c) => c.strategy === s);
    const mean = (f: (c: (typeof cs)[number]) => number) => cs.reduce((a, c) => a + f(c), 0) / cs.length;
    lines.push('', `${s}:`);
    const labels = cs[0]!.labels;
    lines.push(
      '  labels   ' + labels.map((l) => String(l).padStart(6)).join(''),
      '  accuracy ' + labels.map((_, i) => pct(mean((c) => c.accuracy[i]!)).padStart(6)).join(''),
    );
    lines.push(
      `  area ${mean((c) => c.auc).toFixed(4)}; labels to 95%: ${cs.map((c) => c.labelsTo95 ?? 'never').join(', ')}; ` +
        `suggestions right ${pct(mean((c) => c.suggestionAccuracy))}`,
    );
  }
  const to95 = (s: string) => r.curves.filter((c) => c.strategy === s).map((c) => c.labelsTo95 ?? r.n);
  if (strategies.includes('random')) {
    const rnd = to95('random');
    for (const s of strategies.filter((x) => x !== 'random')) {
      const mine = to95(s);
      const ratios = mine.map((m, i) => m / rnd[i]!);
      const above = r.curves
        .filter((c) => c.strategy === s)
        .map((c) => {
          const base = r.curves.find((b) => b.strategy === 'random' && b.seed === c.seed)!;
          return c.auc > base.auc;
        });
      lines.push(
        '',
        `${s} vs random: labels to 95% ${ratios.map((x) => pct(x)).join(', ')} of random's; ` +
          `area above random on ${above.filter(Boolean).length}/${above.length} seeds`,
      );
    }
  }
  return lines;
};

/**
 * `sonofuse assist-sim --db F --dataset D …`: simulates the labeling assistant on a fully labeled
 * dataset (stored labels play the sonographer) and stores the result for the app's Assistant panel.
 */
export const assistSimCommand: CliCommand = {
  name: 'assist-sim',
  summary: 'Simulate assisted labeling on a labeled dataset: learning curves and label savings.',
  usage:
    'sonofuse assist-sim --dataset D [--db FILE] [--task label] [--strategy random|uncertainty|diverse-uncertainty] ' +
    '[--start N] [--batch B] [--seeds K] [--json]',
  async run(args, io: CliIo) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        db: { type: 'string' },
        dataset: { type: 'string' },
        task: { type: 'string', default: 'label' },
        strategy: { type: 'string', multiple: true },
        start: { type: 'string' },
        batch: { type: 'string' },
        seeds: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (!values.dataset) throw new UsageError('--dataset D is required (name or id)');
    const strategies = (values.strategy?.length ? values.strategy : AssistStrategy.options).map((s) => {
      const p = AssistStrategy.safeParse(s);
      if (!p.success)
        throw new UsageError(`--strategy takes ${AssistStrategy.options.join('|')}, got "${s}"`);
      return p.data;
    });
    const start = posInt('start', values.start, 20);
    const batch = posInt('batch', values.batch, 20);
    const seeds = Array.from({ length: posInt('seeds', values.seeds, 3) }, (_, i) => i + 1);
    const dbPath = resolve(values.db ?? defaultCatalogPath());
    const catalog = createCatalogService({ dbPath, logger: createLogger({ minLevel: 'error' }) });
    try {
      const dataset = resolveDataset(catalog, values.dataset);
      const pool = readAssistantPool(catalog, dataset.id, values.task);
      const workspace = dirname(dbPath);
      const features = await poolFeatureMatrix(pool, workspace, (done, total) => {
        if (!values.json) io.err(`features ${done}/${total}`);
      });
      const notes = await poolNoteMatrix(pool.rows, workspace);
      const { result, choice } = simulatePool(pool, features, { strategies, seeds, start, batch }, notes);
      if (!values.json)
        io.err(
          `chosen on the validation part: image features${choice.notes ? ' + note embeddings' : ''}, ` +
            `L2 ${choice.l2}, ${choice.balanced ? 'balanced' : 'unweighted'} classes ` +
            `(validation accuracy ${pct(choice.validationAccuracy)})`,
        );
      const path = await writeAssistSim(workspace, result);
      if (values.json) io.out(JSON.stringify(result));
      else {
        for (const line of formatAssistSim(result)) io.out(line);
        io.out('');
        io.out(`Stored for the app (${path}).`);
      }
      return 0;
    } catch (e) {
      if (e instanceof AppError) {
        io.err(`sonofuse assist-sim: ${e.code}: ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      catalog.close();
    }
  },
};
