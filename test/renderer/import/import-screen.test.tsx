// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportReport, Result } from '../../../shared/contract/index';
import { ImportScreen } from '../../../renderer/import/import-screen';
import { reportCsv } from '../../../renderer/import/import-report';
import { createFakeApi } from '../fake-api';
import { renderScreen } from '../render-screen';

beforeEach(() => {
  // jsdom has no object URLs; the report's download links need them.
  URL.createObjectURL = vi.fn(() => 'blob:report');
  URL.revokeObjectURL = vi.fn();
});
afterEach(cleanup);

const report: ImportReport = {
  jobId: 'x',
  importId: 7,
  dataset: 'busi',
  datasetId: 1,
  source: '/data/busi/manifest.csv',
  status: 'done',
  total: 5,
  imported: 3,
  skipped: 0,
  duplicates: [{ file: 'b.png', duplicateOf: 'a.png', sameLabel: false }],
  errors: [{ file: 'bad.png', line: 4, code: 'corrupt', reason: 'truncated PNG, "IDAT" missing' }],
  labels: { benign: 2, malignant: 1 },
  seconds: 1.5,
  notices: [],
};

describe('ImportScreen', () => {
  it('sends the source, options and column mapping; shows progress for its job; cancels; then the report', async () => {
    let finish: (r: Result<ImportReport>) => void = () => {};
    const fake = createFakeApi({
      'catalog:datasets': () => ({ ok: true, value: [] }),
      'catalog:cancelImport': () => ({ ok: true, value: { cancelled: true } }),
    });
    const importCall = vi.fn(() => new Promise<Result<ImportReport>>((resolve) => (finish = resolve)));
    const api = { ...fake.api, catalog: { ...fake.api.catalog, import: importCall } } as typeof fake.api;
    renderScreen(<ImportScreen />, api);
    fireEvent.change(screen.getByRole('textbox', { name: /Manifest file/ }), {
      target: { value: '/data/busi/manifest.csv' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Dataset name' }), { target: { value: 'busi' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a column mapping' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Column in the file' }), {
      target: { value: 'diagnosis' },
    });
    fireEvent.change(screen.getByRole('combobox', { name: 'Means' }), { target: { value: 'label' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    });
    const sent = (importCall.mock.calls[0] as unknown as [Record<string, unknown>])[0];
    expect(sent).toMatchObject({
      source: '/data/busi/manifest.csv',
      dataset: 'busi',
      referenceInPlace: false,
      mapping: { diagnosis: 'label' },
      task: 'label',
      user: 'alice',
      allowOutsidePaths: false,
    });
    const jobId = sent.jobId as string;
    const progress = {
      phase: 'importing',
      done: 300,
      total: 780,
      imported: 290,
      skipped: 0,
      duplicates: 4,
      errors: 6,
      ratePerSecond: 50,
      etaSeconds: 9.6,
    };
    act(() => fake.emit('catalog:onImportProgress', { jobId: 'someone-else', ...progress, done: 1 }));
    act(() => fake.emit('catalog:onImportProgress', { jobId, ...progress }));
    const shown = screen.getByTestId('import-progress').textContent!;
    expect(shown).toContain('300 / 780');
    expect(shown).toContain('50.0/s');
    expect(shown).toContain('10 s');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel import' }));
    await waitFor(() =>
      expect(fake.received).toContainEqual({ channel: 'catalog:cancelImport', input: { jobId } }),
    );
    await act(async () => finish({ ok: true, value: report }));
    expect(screen.getByTestId('report-imported').textContent).toBe('3');
    expect(screen.getByRole('table', { name: 'Rejected files' }).textContent).toContain('truncated PNG');
    expect(screen.getByRole('table', { name: 'Duplicate files' }).textContent).toContain('disagree');
    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe('blob:report');
  });

  it('sends allowOutsidePaths only when its box is ticked, and shows the report notice', async () => {
    const notice = "Paths outside the manifest's folder were allowed: 2 row(s) pointed outside /data/busi.";
    const importCall = vi.fn(async (): Promise<Result<ImportReport>> => ({
      ok: true,
      value: { ...report, notices: [notice] },
    }));
    const fake = createFakeApi({ 'catalog:datasets': () => ({ ok: true, value: [] }) });
    const api = { ...fake.api, catalog: { ...fake.api.catalog, import: importCall } } as typeof fake.api;
    renderScreen(<ImportScreen />, api);
    fireEvent.change(screen.getByRole('textbox', { name: /Manifest file/ }), {
      target: { value: '/data/busi/manifest.csv' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Dataset name' }), { target: { value: 'busi' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Read files outside the manifest's folder/ }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    });
    expect((importCall.mock.calls[0] as unknown as [Record<string, unknown>])[0]).toMatchObject({
      allowOutsidePaths: true,
    });
    expect((await screen.findByTestId('import-notice')).textContent).toBe(notice);
  });

  it('sends keepOriginalBytes only for copied images whose box is ticked (default: stripped copies)', async () => {
    const importCall = vi.fn(async (): Promise<Result<ImportReport>> => ({ ok: true, value: report }));
    const fake = createFakeApi({ 'catalog:datasets': () => ({ ok: true, value: [] }) });
    const api = { ...fake.api, catalog: { ...fake.api.catalog, import: importCall } } as typeof fake.api;
    renderScreen(<ImportScreen />, api);
    fireEvent.change(screen.getByRole('textbox', { name: /Manifest file/ }), {
      target: { value: '/data/busi/manifest.csv' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Dataset name' }), { target: { value: 'busi' } });
    // Copies by default; referencing in place hides the choice, unticking it shows it again.
    fireEvent.click(screen.getByRole('checkbox', { name: /Reference images in place/ }));
    expect(screen.queryByRole('checkbox', { name: /Keep embedded metadata/ })).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: /Reference images in place/ }));
    const keep = screen.getByRole('checkbox', { name: /Keep embedded metadata/ });
    expect((keep as HTMLInputElement).checked).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    });
    fireEvent.click(keep);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    });
    const sent = importCall.mock.calls.map((c) => (c as unknown as [Record<string, unknown>])[0]);
    expect(sent.map((s) => [s.referenceInPlace, s.keepOriginalBytes])).toEqual([
      [false, false],
      [false, true],
    ]);
  });

  it('requires a dataset name (no silent "dataset"), and copies images unless "Reference in place" is ticked', async () => {
    const importCall = vi.fn(async (): Promise<Result<ImportReport>> => ({ ok: true, value: report }));
    const fake = createFakeApi({ 'catalog:datasets': () => ({ ok: true, value: [] }) });
    const api = { ...fake.api, catalog: { ...fake.api.catalog, import: importCall } } as typeof fake.api;
    renderScreen(<ImportScreen />, api);
    fireEvent.change(screen.getByRole('textbox', { name: /Manifest file/ }), {
      target: { value: '/data/busi/manifest.csv' },
    });
    const name = screen.getByRole('textbox', { name: 'Dataset name' }) as HTMLInputElement;
    expect(name.value).toBe('');
    expect(name.placeholder).toBe('');
    expect(name.required).toBe(true);
    expect(screen.getByText(/Name the dataset/)).toBeTruthy();
    const start = screen.getByRole('button', { name: 'Start import' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    await act(async () => {
      fireEvent.submit(start.closest('form')!);
    });
    expect(importCall).not.toHaveBeenCalled();
    fireEvent.change(name, { target: { value: '   ' } });
    expect(start.disabled).toBe(true);
    expect(
      (screen.getByRole('checkbox', { name: /Reference images in place/ }) as HTMLInputElement).checked,
    ).toBe(false);
    fireEvent.change(name, { target: { value: 'fetal-brain' } });
    await act(async () => {
      fireEvent.click(start);
    });
    expect(importCall.mock.calls[0]).toEqual([
      expect.objectContaining({ dataset: 'fetal-brain', referenceInPlace: false }),
    ]);
  });

  it('reports images already in another dataset beside the duplicates', async () => {
    const elsewhere = {
      images: 33,
      datasets: [{ name: 'fetal-planes', images: 33 }],
      examples: [{ file: 'a.png', dataset: 'fetal-planes' }],
    };
    const notice = '33 imported images are already in another dataset (same content): fetal-planes 33.';
    const importCall = vi.fn(async (): Promise<Result<ImportReport>> => ({
      ok: true,
      value: { ...report, duplicates: [], elsewhere, notices: [notice] },
    }));
    const fake = createFakeApi({ 'catalog:datasets': () => ({ ok: true, value: [] }) });
    const api = { ...fake.api, catalog: { ...fake.api.catalog, import: importCall } } as typeof fake.api;
    renderScreen(<ImportScreen />, api);
    fireEvent.change(screen.getByRole('textbox', { name: /Manifest file/ }), {
      target: { value: '/d/m.csv' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Dataset name' }), { target: { value: 'copy' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    });
    expect((await screen.findByTestId('report-elsewhere')).textContent).toBe('33');
    expect(screen.getByTestId('import-notice').textContent).toBe(notice);
  });

  it('shows an import failure as a message', async () => {
    const fake = createFakeApi({
      'catalog:datasets': () => ({ ok: true, value: [] }),
      'catalog:import': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no such manifest' } }),
    });
    renderScreen(<ImportScreen />, fake.api);
    fireEvent.change(screen.getByRole('textbox', { name: /Manifest file/ }), {
      target: { value: '/nope.csv' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Dataset name' }), { target: { value: 'busi' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    });
    expect((await screen.findByRole('alert')).textContent).toContain('no such manifest');
  });

  it('writes the report as CSV with quoting, the same rows as the main process export', () => {
    expect(reportCsv(report)).toBe(
      'kind,file,line,code,reason\n' +
        'error,bad.png,4,corrupt,"truncated PNG, ""IDAT"" missing"\n' +
        'duplicate,b.png,,duplicate-label-conflict,same content as a.png\n',
    );
  });

  it('neutralises formula cells in the downloaded report', () => {
    const hostile = {
      ...report,
      duplicates: [],
      errors: [{ ...report.errors[0]!, file: '=HYPERLINK("x")' }],
    };
    expect(reportCsv(hostile).split('\n')[1]).toBe(
      'error,"\'=HYPERLINK(""x"")",4,corrupt,"truncated PNG, ""IDAT"" missing"',
    );
  });
});
