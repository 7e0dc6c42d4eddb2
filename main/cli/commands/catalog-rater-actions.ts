import type { AgreementReport } from '../../../shared/contract/raters';
import type { RaterStore } from '../../catalog-store/rater-store';
import { UsageError, type CliIo } from '../command';

/** The multi-rater actions of `sonofuse catalog`. */
export const RATER_ACTIONS = ['agreement', 'set-raters', 'adjudication-queue'] as const;
export const RATER_USAGE =
  '       sonofuse catalog agreement --dataset NAME [--task NAME] [--db FILE] [--json]\n' +
  '       sonofuse catalog set-raters --dataset NAME --raters K [--task NAME] [--db FILE] [--json]\n' +
  '       sonofuse catalog adjudication-queue --dataset NAME [--task NAME] [--db FILE] [--json]';

const kappa = (k: number | null): string => (k === null ? 'undefined' : k.toFixed(3));

/** Agreement as people read it: the statistic, kappa, observed vs chance, per class. */
export const formatAgreement = (a: AgreementReport): string[] => [
  `${a.method === 'cohen' ? "Cohen's" : "Fleiss'"} kappa ${kappa(a.kappa)} over ${a.items} image(s) rated at least twice` +
    ` (${a.raters} raters asked; ${a.people.length} people; observed ${a.observed.toFixed(3)}, chance ${a.expected.toFixed(3)})`,
  `  unanimous ${a.unanimous}, rated once ${a.incomplete}`,
  ...a.perClass.map((c) => `  ${c.label.padEnd(24)} ${kappa(c.kappa)}`),
];

/**
 * Runs one rater action on an open catalog of either engine (its RaterStore); `dataset` is the
 * resolved --dataset id. The queue is refused (FORBIDDEN) unless the user is a reviewer.
 */
export const runRaterAction = async (
  action: (typeof RATER_ACTIONS)[number],
  raters: RaterStore,
  values: { dataset: number; task: string; raters?: string; json: boolean },
  io: CliIo,
): Promise<void> => {
  if (action === 'agreement') {
    const a = await raters.agreement(values.dataset, values.task);
    if (values.json) io.out(JSON.stringify(a));
    else for (const line of formatAgreement(a)) io.out(line);
  } else if (action === 'set-raters') {
    const k = Number(values.raters);
    if (!Number.isInteger(k))
      throw new UsageError(`--raters takes a whole number, got ${values.raters ?? ''}`);
    const r = await raters.setRaters({ datasetId: values.dataset, task: values.task, raters: k });
    io.out(values.json ? JSON.stringify(r) : `Task "${r.task}" asks for ${r.raters} label(s) per image.`);
  } else {
    const q = await raters.queue({ datasetId: values.dataset, task: values.task, limit: 500 });
    if (values.json) io.out(JSON.stringify(q));
    else {
      io.out(
        `${q.disagreementTotal} disagreement(s), ${q.incompleteTotal} with fewer than ${q.raters} label(s), ${q.unrated} unrated, ${q.decided} decided`,
      );
      for (const d of q.disagreements)
        io.out(`  image ${d.imageId}: ${d.ratings.map((r) => `${r.rater}=${r.label}`).join(', ')}`);
    }
  }
};
