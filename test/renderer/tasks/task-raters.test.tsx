// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  AdjudicationQueue,
  AgreementReport,
  CallParsedInput,
  LabelTask,
  RaterIdentity,
  Result,
} from '../../../shared/contract/index';
import { TasksScreen } from '../../../renderer/tasks/tasks-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });

/** The fake catalog with one single-label task asking for 2 raters, a role and a small queue. */
const setup = (role: RaterIdentity['role'], adjudicate?: () => Result<unknown>) => {
  const catalog = createFakeCatalog();
  const task: LabelTask = {
    id: 1,
    datasetId: 1,
    name: 'label',
    kind: 'single',
    classes: ['benign', 'malignant', 'normal'].map((name) => ({ name, parent: null, colour: null })),
    raters: 2,
  };
  const me: RaterIdentity = { user: 'alice', role, roleSource: 'setting' };
  const queue: AdjudicationQueue = {
    raters: 2,
    classes: ['benign', 'malignant', 'normal'],
    disagreements: [
      {
        imageId: 7,
        file: 'a/7.png',
        ratings: [
          { rater: 'ann', label: 'benign', at: 't' },
          { rater: 'bo', label: 'normal', at: 't' },
        ],
      },
      {
        imageId: 9,
        file: 'a/9.png',
        ratings: [
          { rater: 'ann', label: 'malignant', at: 't' },
          { rater: 'bo', label: 'benign', at: 't' },
        ],
      },
    ],
    disagreementTotal: 2,
    incomplete: [],
    incompleteTotal: 3,
    unrated: 4,
    decided: 1,
  };
  const agreement: AgreementReport = {
    datasetId: 1,
    task: 'label',
    raters: 2,
    method: 'cohen',
    kappa: 0.5,
    observed: 0.75,
    expected: 0.5,
    items: 4,
    incomplete: 1,
    unanimous: 3,
    people: ['ann', 'bo'],
    perClass: [
      { label: 'benign', kappa: 0.5 },
      { label: 'malignant', kappa: null },
      { label: 'normal', kappa: 0.5 },
    ],
  };
  const fake = createFakeApi({
    ...catalog.answers,
    'catalog:tasks': () => ok([task]),
    'catalog:whoAmI': () => ok(me),
    'catalog:setRole': (input) => {
      me.role = (input as CallParsedInput<'catalog:setRole'>).role;
      return ok(me);
    },
    'catalog:setRaters': (input) =>
      ok({ task: 'label', raters: (input as CallParsedInput<'catalog:setRaters'>).raters }),
    'catalog:agreement': () => ok(agreement),
    'catalog:adjudicationQueue': () => ok(queue),
    'catalog:adjudicate': (input) => {
      if (adjudicate) return adjudicate();
      const i = input as CallParsedInput<'catalog:adjudicate'>;
      queue.disagreements = queue.disagreements.filter((d) => d.imageId !== i.imageId);
      queue.disagreementTotal--;
      queue.decided++;
      return ok({ labels: [i.label], batchId: 5 });
    },
  });
  renderScreen(<TasksScreen onImport={() => {}} />, fake.api);
  return fake;
};

const calls = (fake: ReturnType<typeof createFakeApi>, channel: string) =>
  fake.received.filter((r) => r.channel === channel);

describe('Raters, agreement and adjudication on the task card', () => {
  it('shows agreement; a reviewer decides the selected disagreement with a class key', async () => {
    const fake = setup('reviewer');
    const summary = await screen.findByTestId('agreement-summary');
    expect(summary.textContent).toBe(
      "Cohen's kappa 0.500 over 4 image(s) rated at least twice by 2 people (observed 75.0%, chance 50.0%); 3 unanimous, 1 rated once.",
    );
    const perClass = screen.getByRole('table', { name: 'Agreement per class of label' });
    expect(
      within(perClass)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual(['benign0.500', 'malignantundefined', 'normal0.500']);
    const table = await screen.findByRole('table', { name: 'Disagreements of label' });
    expect(screen.getByTestId('adjudication-counts').textContent).toBe(
      '2 disagreement(s); 3 image(s) with fewer than 2 labels; 4 unrated; 1 decided.',
    );
    expect(within(table).getAllByRole('row')[1]!.textContent).toContain('ann: benign, bo: normal');
    // The reviewer sees the image itself (its thumbnail, through the media route).
    expect(table.querySelector('img')!.getAttribute('src')).toBe('media/thumb/7?token=t0ken');
    // ↓ selects the second image; key 1 = the first class (benign) decides it.
    fireEvent.keyDown(table, { key: 'ArrowDown' });
    await act(async () => {
      fireEvent.keyDown(table, { key: '1' });
    });
    expect(calls(fake, 'catalog:adjudicate').map((c) => c.input)).toEqual([
      { imageId: 9, task: 'label', label: 'benign', user: 'alice', reason: '' },
    ]);
    // The queue and the agreement are read again.
    expect(
      await screen.findByText(
        '1 disagreement(s); 3 image(s) with fewer than 2 labels; 4 unrated; 2 decided.',
      ),
    ).toBeTruthy();
    expect(calls(fake, 'catalog:agreement').length).toBeGreaterThanOrEqual(2);
    // A button per class does the same for a given row.
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Decide normal for a/7.png' }));
    });
    expect(calls(fake, 'catalog:adjudicate').at(-1)!.input).toMatchObject({ imageId: 7, label: 'normal' });
    expect(await screen.findByText('No disagreements to decide.')).toBeTruthy();
  });

  it('tells a labeler only reviewers decide, and shows a refused decision as its typed error', async () => {
    const fake = setup('labeler', () => ({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'only a reviewer adjudicates' },
    }));
    expect(await screen.findByText(/Only a reviewer decides disagreements/)).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Disagreements of label' })).toBeNull();
    expect(calls(fake, 'catalog:adjudicationQueue')).toEqual([]);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Make this workstation a reviewer' }));
    });
    expect(calls(fake, 'catalog:setRole').map((c) => c.input)).toEqual([{ role: 'reviewer' }]);
    await screen.findByRole('table', { name: 'Disagreements of label' });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Decide benign for a/7.png' }));
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('only a reviewer adjudicates');
    expect(alert.textContent).toContain('FORBIDDEN');
  });

  it('sets the number of raters of a single-label task', async () => {
    const fake = setup('labeler');
    const group = await screen.findByRole('group', { name: 'Raters of label' });
    fireEvent.change(within(group).getByRole('spinbutton', { name: 'Raters per image' }), {
      target: { value: '3' },
    });
    await act(async () => {
      fireEvent.click(within(group).getByRole('button', { name: 'Set raters' }));
    });
    expect(calls(fake, 'catalog:setRaters').map((c) => c.input)).toEqual([
      { datasetId: 1, task: 'label', raters: 3 },
    ]);
  });
});
