import type { BrowseQuery } from './image-pager';

type Filters = Omit<BrowseQuery, 'datasetId' | 'task'>;

/**
 * The active filters of a browse list in words ("unlabeled only", "note contains “mass”"), empty
 * when the list is the whole dataset. Sorting is not a filter.
 */
export const describeFilters = (f: Filters): string[] => {
  const out: string[] = [];
  if (f.unlabeled) out.push('unlabeled only');
  if (f.labels?.length) out.push(`labelled ${f.labels.join(' or ')}`);
  if (f.flagged === true) out.push('flagged for review');
  if (f.flagged === false) out.push('not flagged');
  if (f.splitId !== undefined) out.push(f.parts?.length ? `split parts ${f.parts.join(', ')}` : 'in a split');
  if (f.patient) out.push(`patient ${f.patient}`);
  if (f.text?.trim()) out.push(`note contains “${f.text.trim()}”`);
  if (f.ids) out.push(`${f.ids.length.toLocaleString('en')} chosen image${f.ids.length === 1 ? '' : 's'}`);
  for (const m of f.metadata ?? [])
    out.push(
      m.values?.length ? `${m.key} is ${m.values.join(' or ')}` : `${m.key} ${m.min ?? '…'}–${m.max ?? '…'}`,
    );
  return out;
};

/** True when any filter narrows the list. */
export const hasFilters = (f: Filters): boolean => describeFilters(f).length > 0;
