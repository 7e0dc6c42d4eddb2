// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseClassList } from '../../../renderer/tasks/class-list-text';
import { TasksScreen } from '../../../renderer/tasks/tasks-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

describe('TasksScreen', () => {
  it('creates a multi-label task with a hierarchy, appends classes and keeps colours per class', async () => {
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
    const colour = screen.getAllByLabelText('Colour of benign')[0] as HTMLInputElement;
    expect(colour.value).toBe('#4fb3bf');
    fireEvent.change(colour, { target: { value: '#ff0000' } });
    await waitFor(() =>
      expect((screen.getAllByLabelText('Colour of benign')[0] as HTMLInputElement).value).toBe('#ff0000'),
    );
    expect(JSON.parse(window.localStorage.getItem('sonofuse.colours.1.label')!)).toEqual({
      benign: '#ff0000',
    });
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
