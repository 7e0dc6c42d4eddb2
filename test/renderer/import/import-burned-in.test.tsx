// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportReport } from '../../../shared/contract/index';
import { ImportScreen, parseMaskText } from '../../../renderer/import/import-screen';
import { createFakeApi } from '../fake-api';
import { renderScreen } from '../render-screen';

beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:report');
  URL.revokeObjectURL = vi.fn();
});
afterEach(cleanup);

const report = (burnedIn: ImportReport['burnedIn']): ImportReport => ({
  jobId: 'x',
  importId: 3,
  dataset: 'us',
  datasetId: 2,
  source: '/data/cine.dcm',
  status: 'done',
  total: 4,
  imported: 4,
  skipped: 0,
  duplicates: [],
  errors: [],
  labels: {},
  seconds: 0.4,
  notices: [],
  burnedIn,
});

const fill = (mask: string) => {
  fireEvent.click(screen.getByRole('radio', { name: 'DICOM file' }));
  fireEvent.change(screen.getByRole('textbox', { name: /DICOM file/ }), {
    target: { value: '/data/cine.dcm' },
  });
  fireEvent.change(screen.getByRole('textbox', { name: /^Dataset name/ }), { target: { value: 'us' } });
  fireEvent.change(screen.getByRole('combobox', { name: /burned-in annotation/ }), {
    target: { value: 'mask-band' },
  });
  fireEvent.change(screen.getByRole('textbox', { name: /Mask rectangle/ }), { target: { value: mask } });
};

describe('Import screen: burned-in annotation', () => {
  it('parses a mask rectangle', () => {
    expect(parseMaskText(' 0, 0,640 ,60')).toEqual({ x: 0, y: 0, w: 640, h: 60 });
    expect(parseMaskText('0,0,640')).toBeNull();
    expect(parseMaskText('0,0,0,60')).toBeNull();
  });

  it('stores the rectangle for the dataset, imports with mask-band and shows the count', async () => {
    const fake = createFakeApi({
      'catalog:datasets': () => ({ ok: true, value: [] }),
      'catalog:setBurnedInMask': (input) => ({ ok: true, value: { datasetId: 2, ...(input as object) } }),
      'catalog:import': () => ({ ok: true, value: report({ images: 4, masked: 4 }) }),
    });
    renderScreen(<ImportScreen />, fake.api);
    fill('0,0,640,60');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    });
    const sent = fake.received.filter(
      (r) => r.channel.startsWith('catalog:s') || r.channel === 'catalog:import',
    );
    expect(sent.map((r) => r.channel)).toEqual(['catalog:setBurnedInMask', 'catalog:import']);
    expect(sent[0]!.input).toEqual({ dataset: 'us', mask: { x: 0, y: 0, w: 640, h: 60 } });
    expect(sent[1]!.input).toMatchObject({ dataset: 'us', burnedIn: 'mask-band' });
    expect((await screen.findByTestId('import-burned-in')).textContent).toBe(
      '4 DICOM image(s) declare burned-in annotation (names, ids or dates may be in the pixels); all were masked before storing.',
    );
  });

  it('refuses a malformed rectangle before importing anything', async () => {
    const fake = createFakeApi({ 'catalog:datasets': () => ({ ok: true, value: [] }) });
    renderScreen(<ImportScreen />, fake.api);
    fill('0,0,640');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    });
    expect((await screen.findByRole('alert')).textContent).toContain('x,y,w,h');
    expect(fake.received.map((r) => r.channel)).not.toContain('catalog:import');
  });

  it('sends pseudonymizePatientIds for a manifest only when its box is ticked', async () => {
    const fake = createFakeApi({
      'catalog:datasets': () => ({ ok: true, value: [] }),
      'catalog:import': () => ({ ok: true, value: report(undefined) }),
    });
    renderScreen(<ImportScreen />, fake.api);
    fireEvent.change(screen.getByRole('textbox', { name: /Manifest file/ }), {
      target: { value: '/d/m.csv' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: /^Dataset name/ }), { target: { value: 'm' } });
    const start = async () =>
      act(async () => {
        fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
      });
    await start();
    fireEvent.click(screen.getByRole('checkbox', { name: /keyed pseudonyms/ }));
    // Manifest rows may name DICOM files: the burned-in choice is offered there too.
    fireEvent.change(screen.getByRole('combobox', { name: /burned-in annotation/ }), {
      target: { value: 'skip' },
    });
    await start();
    const sent = fake.received.filter((r) => r.channel === 'catalog:import').map((r) => r.input);
    expect(sent.map((i) => (i as { pseudonymizePatientIds: boolean }).pseudonymizePatientIds)).toEqual([
      false,
      true,
    ]);
    expect(sent.map((i) => (i as { burnedIn: string }).burnedIn)).toEqual(['warn', 'skip']);
    expect(screen.queryByTestId('import-burned-in')).toBeNull();
  });
});
