// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseClassList } from '../../../renderer/tasks/class-list-text';
import { TasksScreen } from '../../../renderer/tasks/tasks-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

describe('TasksScreen', () => {
  it('creates a multi-label task with a hierarchy and shows palette colours until the task stores one', async () => {
    const catalog = createFakeCatalog();
    const fake = createFakeApi(catalog.answers);
    renderScreen(<TasksScreen onImport={() => {}} />, fake.api);
    await screen.findByRole('table', { name: 'Classes of label' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'plane' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Kind' }), { target: { value: 'multi' } });
    fireEvent.change(screen.getByRole('textbox', { name: /^Classes, one per line/ }), {
      target: { value: 'brain > trans-thalamic\nbrain > trans-cerebellar\nabdomen\n\nabdomen' },
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Create task' }));
    });
    expect(fake.received.find((r) => r.channel === 'catalog:defineTask')!.input).toEqual({
      datasetId: 1,
      name: 'plane',
      kind: 'multi',
      classes: [
        { name: 'brain', parent: null },
        { name: 'trans-thalamic', parent: 'brain' },
        { name: 'trans-cerebellar', parent: 'brain' },
        { name: 'abdomen', parent: null },
      ],
    });
    const table = await screen.findByRole('table', { name: 'Classes of plane' });
    expect(table.textContent).toContain('trans-thalamic');
    // Colours come from the catalog: none stored yet, so the palette colour of the position.
    expect(screen.getByTestId('colour-benign').getAttribute('title')).toBe('#4fb3bf');
  });

  it('edits a task: rename, recolour, reorder and add in one catalog:editTask, logged as a change', async () => {
    const catalog = createFakeCatalog();
    const fake = createFakeApi(catalog.answers);
    renderScreen(<TasksScreen onImport={() => {}} />, fake.api);
    const card = await screen.findByRole('region', { name: 'Task label' });
    fireEvent.click(within(card).getByRole('button', { name: 'Edit classes' }));
    fireEvent.change(within(card).getByRole('textbox', { name: 'Name of class 1' }), {
      target: { value: 'cyst' },
    });
    fireEvent.change(within(card).getByLabelText('Colour of class 2'), { target: { value: '#ff0000' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Move class 3 up' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Add class' }));
    fireEvent.change(within(card).getByRole('textbox', { name: 'Name of class 4' }), {
      target: { value: 'other' },
    });
    fireEvent.change(within(card).getByRole('textbox', { name: 'Reason for the change' }), {
      target: { value: 'protocol v2' },
    });
    await act(async () => {
      fireEvent.click(within(card).getByRole('button', { name: 'Save classes' }));
    });
    expect(fake.received.find((r) => r.channel === 'catalog:editTask')!.input).toEqual({
      datasetId: 1,
      task: 'label',
      classes: [
        { name: 'cyst', was: 'benign', parent: null, colour: null },
        { name: 'normal', was: 'normal', parent: null, colour: null },
        { name: 'malignant', was: 'malignant', parent: null, colour: '#ff0000' },
        { name: 'other', parent: null, colour: null },
      ],
      reassign: {},
      user: 'alice',
      reason: 'protocol v2',
    });
    await waitFor(() => expect(screen.getByTestId('colour-malignant').getAttribute('title')).toBe('#ff0000'));
    const rows = within(screen.getByRole('table', { name: 'Classes of label' })).getAllByRole('rowheader');
    expect(rows.map((r) => r.textContent)).toEqual(['cyst', 'normal', 'malignant', 'other']);
    await waitFor(() =>
      expect(screen.getByTestId('task-history-label').textContent).toContain('protocol v2'),
    );
  });

  it('shows the CONFLICT when a removed class still has labels, then removes it with an explicit reassign', async () => {
    const catalog = createFakeCatalog();
    catalog.answers['catalog:setLabels']!({
      imageId: 1,
      task: 'label',
      labels: ['normal'],
      user: 'bob',
      reason: '',
    });
    const fake = createFakeApi(catalog.answers);
    renderScreen(<TasksScreen onImport={() => {}} />, fake.api);
    const card = await screen.findByRole('region', { name: 'Task label' });
    fireEvent.click(within(card).getByRole('button', { name: 'Edit classes' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Remove class 3' }));
    await act(async () => {
      fireEvent.click(within(card).getByRole('button', { name: 'Save classes' }));
    });
    const alert = within(card).getByRole('alert');
    expect(alert.textContent).toContain('cannot remove "normal" (labels 1 images)');
    expect(alert.textContent).toContain('CONFLICT');
    fireEvent.change(within(card).getByRole('combobox', { name: 'Labels of removed class normal go to' }), {
      target: { value: 'benign' },
    });
    await act(async () => {
      fireEvent.click(within(card).getByRole('button', { name: 'Save classes' }));
    });
    const calls = fake.received.filter((r) => r.channel === 'catalog:editTask');
    expect(calls[1]!.input).toMatchObject({ reassign: { normal: 'benign' } });
    expect(catalog.labelsOf('label', 1)).toEqual(['benign']);
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit classes of label' })).toBeNull());
  });

  it('parses class lists: order kept, repeats dropped, deeper paths keep the last two levels', () => {
    expect(parseClassList('a\nb > c\n a \nx > y > z')).toEqual([
      { name: 'a', parent: null },
      { name: 'b', parent: null },
      { name: 'c', parent: 'b' },
      { name: 'y', parent: 'x' },
      { name: 'z', parent: 'y' },
    ]);
  });
});
