// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetBar } from '../../../renderer/catalog/dataset-bar';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const setup = () => {
  const catalog = createFakeCatalog();
  catalog.datasets.push({ id: 2, name: 'fetal-brain', createdAt: '2026-01-01', deleted: false });
  const fake = createFakeApi(catalog.answers);
  renderScreen(<DatasetBar manage />, fake.api);
  const calls = (channel: string) => fake.received.filter((r) => r.channel === channel).map((r) => r.input);
  return { catalog, calls };
};

describe('Dataset rename and delete (issue #16 item 4)', () => {
  it('renames the current dataset', async () => {
    const { calls } = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Rename…' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'New name' }), { target: { value: 'busi-2025' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    });
    expect(calls('catalog:renameDataset')).toEqual([{ datasetId: 1, name: 'busi-2025', user: 'alice' }]);
    await waitFor(() => expect(screen.getByRole('option', { name: /^busi-2025/ })).toBeTruthy());
  });

  it('delete asks twice: what it does, then the name typed again; then the next dataset is chosen', async () => {
    const { calls } = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Delete…' }));
    const first = screen.getByRole('dialog', { name: 'Delete dataset “busi”?' });
    expect(first.textContent).toContain('the history of every change stay in the catalog');
    fireEvent.click(screen.getByRole('button', { name: 'Continue…' }));
    screen.getByRole('dialog', { name: 'Type “busi” to delete it' });
    const confirm = screen.getByRole('button', { name: 'Delete dataset' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: 'Dataset name' }), { target: { value: 'bus' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: 'Dataset name' }), { target: { value: 'busi' } });
    await act(async () => {
      fireEvent.click(confirm);
    });
    expect(calls('catalog:deleteDataset')).toEqual([{ datasetId: 1, confirmName: 'busi', user: 'alice' }]);
    await waitFor(() =>
      expect((screen.getByRole('combobox', { name: 'Dataset' }) as HTMLSelectElement).value).toBe('2'),
    );
    expect(screen.queryByRole('option', { name: /^busi/ })).toBeNull();
  });
});
