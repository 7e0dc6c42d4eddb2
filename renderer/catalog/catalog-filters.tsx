import { useEffect, useState } from 'react';
import type { SplitSummary } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useQuery } from '../use-query';
import type { BrowseFilters } from './browse-context';
import { useWorkspace } from './workspace';

type SortKey = 'id' | 'file' | 'importedAt' | 'label' | 'width';
const sortLabels: Record<SortKey, string> = {
  id: 'Import order',
  file: 'File name',
  importedAt: 'Import time',
  label: 'Label',
  width: 'Width',
};

/** Text filters wait this long after the last keystroke before querying. */
const TYPE_DELAY_MS = 300;

/** Parses "key=value", "key>=min", "key<=max" or "key=a,b" into a metadata filter. */
export const parseMetadataFilter = (text: string): NonNullable<BrowseFilters['metadata']>[number] | null => {
  const m = /^\s*([\w.-]+)\s*(>=|<=|=)\s*(.+?)\s*$/.exec(text);
  if (!m) return null;
  const [, key, op, raw] = m as unknown as [string, string, string, string];
  const value = Number(raw);
  const bound = Number.isFinite(value) ? value : raw;
  if (op === '>=') return { key, min: bound };
  if (op === '<=') return { key, max: bound };
  return {
    key,
    values: raw
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  };
};

/**
 * The filter row of the catalog: label, unlabeled only, review flag, split part, patient, note words, one
 * metadata condition and the sort order. Text fields apply shortly after typing stops.
 */
export const CatalogFilters = ({
  filters,
  onChange,
  classes,
}: {
  filters: BrowseFilters;
  onChange: (filters: BrowseFilters) => void;
  classes: string[];
}) => {
  const api = useApi();
  const { datasetId } = useWorkspace();
  const [splits] = useQuery(
    () =>
      datasetId === null
        ? Promise.resolve({ ok: true as const, value: [] as SplitSummary[] })
        : api.catalog.splits({ datasetId }),
    `splits:${datasetId}`,
  );
  const [text, setText] = useState({ patient: filters.patient ?? '', note: filters.text ?? '', meta: '' });

  useEffect(() => {
    const timer = setTimeout(() => {
      const metadata = text.meta.trim() ? parseMetadataFilter(text.meta) : null;
      const next: BrowseFilters = { ...filters };
      delete next.patient;
      delete next.text;
      delete next.metadata;
      if (text.patient.trim()) next.patient = text.patient.trim();
      if (text.note.trim()) next.text = text.note.trim();
      if (metadata) next.metadata = [metadata];
      if (JSON.stringify(next) !== JSON.stringify(filters)) onChange(next);
    }, TYPE_DELAY_MS);
    return () => clearTimeout(timer);
    // Only typing schedules this; other filter changes apply at once below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  const splitList = splits.status === 'ok' ? splits.value : [];
  const sort =
    filters.sort && 'by' in filters.sort ? filters.sort : { by: 'id' as const, dir: 'asc' as const };
  const label = filters.labels?.[0] ?? '';
  const part = filters.splitId !== undefined ? `${filters.splitId}:${filters.parts?.[0] ?? ''}` : '';

  return (
    <div className="filters" role="search" aria-label="Filter images">
      <label className="field">
        <span>Label</span>
        <select
          value={label}
          onChange={(e) => {
            const next = { ...filters };
            if (e.target.value) {
              next.labels = [e.target.value];
              delete next.unlabeled;
            } else delete next.labels;
            onChange(next);
          }}
        >
          <option value="">Any</option>
          {classes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label className="field checkbox">
        <input
          type="checkbox"
          checked={filters.unlabeled ?? false}
          onChange={(e) => {
            const next = { ...filters };
            if (e.target.checked) {
              next.unlabeled = true;
              delete next.labels;
            } else delete next.unlabeled;
            onChange(next);
          }}
        />
        <span>Unlabeled only</span>
      </label>
      <label className="field">
        <span>Review flag</span>
        <select
          value={filters.flagged === undefined ? '' : filters.flagged ? 'yes' : 'no'}
          onChange={(e) => {
            const next = { ...filters };
            if (e.target.value) next.flagged = e.target.value === 'yes';
            else delete next.flagged;
            onChange(next);
          }}
        >
          <option value="">Any</option>
          <option value="yes">Flagged for review</option>
          <option value="no">Not flagged</option>
        </select>
      </label>
      <label className="field">
        <span>Split</span>
        <select
          value={part}
          onChange={(e) => {
            const next = { ...filters };
            delete next.splitId;
            delete next.parts;
            const [id, p] = e.target.value.split(':');
            if (id) {
              next.splitId = Number(id);
              if (p) next.parts = [p as 'train' | 'validation' | 'test'];
            }
            onChange(next);
          }}
        >
          <option value="">All</option>
          {splitList.flatMap((s) =>
            (['train', 'validation', 'test'] as const).map((p) => (
              <option key={`${s.id}:${p}`} value={`${s.id}:${p}`}>
                {s.name}: {p}
              </option>
            )),
          )}
        </select>
      </label>
      <label className="field">
        <span>Patient</span>
        <input
          type="search"
          size={10}
          value={text.patient}
          onChange={(e) => setText((t) => ({ ...t, patient: e.target.value }))}
        />
      </label>
      <label className="field grow">
        <span>Note contains</span>
        <input
          type="search"
          value={text.note}
          placeholder="words in the clinical note"
          onChange={(e) => setText((t) => ({ ...t, note: e.target.value }))}
        />
      </label>
      <label className="field">
        <span>Metadata</span>
        <input
          type="search"
          size={12}
          value={text.meta}
          placeholder="age>=30"
          aria-invalid={text.meta.trim() !== '' && parseMetadataFilter(text.meta) === null}
          onChange={(e) => setText((t) => ({ ...t, meta: e.target.value }))}
        />
      </label>
      <label className="field">
        <span>Sort</span>
        <select
          value={`${sort.by}:${sort.dir}`}
          onChange={(e) => {
            const [by, dir] = e.target.value.split(':') as [SortKey, 'asc' | 'desc'];
            onChange({ ...filters, sort: { by, dir } });
          }}
        >
          {(Object.keys(sortLabels) as SortKey[]).flatMap((by) =>
            (['asc', 'desc'] as const).map((dir) => (
              <option key={`${by}:${dir}`} value={`${by}:${dir}`}>
                {sortLabels[by]} {dir === 'asc' ? '↑' : '↓'}
              </option>
            )),
          )}
        </select>
      </label>
    </div>
  );
};
