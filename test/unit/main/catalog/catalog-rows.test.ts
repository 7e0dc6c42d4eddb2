import { describe, expect, it } from 'vitest';
import {
  detailFacts,
  historyEntry,
  imageSummary,
  metadataValue,
} from '../../../../main/catalog/catalog-rows';

const history = {
  id: 7,
  batch_id: 3,
  image_id: 11,
  kind: 'label' as const,
  task: 'plane',
  from_value: '["femur"]',
  to_value: '["head"]',
  user: 'A. Rossi',
  reason: '',
  origin: 'edit' as const,
  undoes_batch: null,
  at: '2026-12-04T10:00:00.000Z',
  suggestion_model: null,
  suggestion_p: null,
};

describe('catalog rows (one mapping for both engines)', () => {
  it('maps a typed label change: JSON values parsed, no suggestion, no adjudication mark', () => {
    expect(historyEntry(history)).toEqual({
      id: 7,
      batchId: 3,
      imageId: 11,
      kind: 'label',
      task: 'plane',
      from: ['femur'],
      to: ['head'],
      user: 'A. Rossi',
      reason: '',
      origin: 'edit',
      undoesBatch: null,
      at: '2026-12-04T10:00:00.000Z',
      suggestion: null,
    });
  });

  it('keeps an accepted suggestion and an adjudication (SQLite answers 1, PostgreSQL 1 too)', () => {
    const e = historyEntry({ ...history, suggestion_model: 'assist-3', suggestion_p: 0.87, adjudication: 1 });
    expect(e.suggestion).toEqual({ modelId: 'assist-3', p: 0.87 });
    expect(e.adjudication).toBe(true);
    expect(historyEntry({ ...history, adjudication: 0 })).not.toHaveProperty('adjudication');
    expect(historyEntry({ ...history, from_value: null, to_value: null })).toMatchObject({
      from: null,
      to: null,
    });
  });

  it('gives numbers back as numbers and everything else as stored text', () => {
    expect(metadataValue({ key: 'ga_weeks', type: 'number', num: 21.5, text: '21.5' })).toEqual({
      key: 'ga_weeks',
      type: 'number',
      value: 21.5,
    });
    expect(metadataValue({ key: 'probe', type: 'category', num: null, text: 'C5-1' }).value).toBe('C5-1');
    expect(metadataValue({ key: 'odd', type: 'number', num: null, text: 'n/a' }).value).toBe('n/a');
  });

  it('previews the first 200 characters of a note and knows a referenced-in-place original', () => {
    const row = {
      id: 1,
      dataset_id: 2,
      file: 'a.png',
      format: 'png',
      source_format: 'png',
      width: 4,
      height: 3,
      frame: 0,
      sha256: 'ab',
      imported_at: 't',
      original_path: '/scans/a.png',
      stored_path: null,
      patient: 'P-1',
      exam: null,
      source: 'site A',
      note: 'x'.repeat(250),
    };
    const facts = detailFacts(row);
    expect(facts.notePreview).toHaveLength(200);
    expect(facts.note).toHaveLength(250);
    expect(facts.referencedInPlace).toBe(true);
    expect(detailFacts({ ...row, stored_path: 'ab/ab.png', note: null })).toMatchObject({
      referencedInPlace: false,
      notePreview: null,
      datasetId: 2,
      sourceFormat: 'png',
      importedAt: 't',
      originalPath: '/scans/a.png',
    });
  });

  it('reads a grid row the same whether the engine answers the flag as 0/1 (SQLite) or a boolean (PostgreSQL)', () => {
    const row = {
      id: 5,
      dataset_id: 1,
      file: 'b.png',
      format: 'png',
      source_format: 'dicom',
      width: 8,
      height: 6,
      frame: 2,
      sha256: 'cd',
      imported_at: 't0',
      patient: null,
      note_preview: 'short',
      part: 'train' as const,
    };
    const fromSqlite = imageSummary({ ...row, flagged: 1 }, ['head'], 3);
    expect(fromSqlite).toEqual(imageSummary({ ...row, flagged: true }, ['head'], 3));
    expect(fromSqlite).toMatchObject({
      flagged: true,
      labels: ['head'],
      labelVersion: 3,
      sourceFormat: 'dicom',
      frame: 2,
    });
    expect(imageSummary({ ...row, flagged: 0 }, [], 0).flagged).toBe(false);
    expect(imageSummary({ ...row, flagged: false }, [], 0).flagged).toBe(false);
  });
});
