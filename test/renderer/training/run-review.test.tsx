// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingScreen } from '../../../renderer/training/training-screen';
import { reportPathIn } from '../../../renderer/training/report-export';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { createFakeRuns } from '../fake-runs';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const setup = (overrides: Parameters<typeof createFakeApi>[0] = {}) => {
  const catalog = createFakeCatalog({ images: 12 });
  const runs = createFakeRuns(catalog);
  const fake = createFakeApi({ ...catalog.answers, ...runs.answers, ...overrides });
  renderScreen(<TrainingScreen />, fake.api);
  return { fake, runs, catalog };
};

const calls = (fake: ReturnType<typeof createFakeApi>, channel: string) =>
  fake.received.filter((r) => r.channel === channel).map((r) => r.input);

/** Opens run 3 and selects the stage-1 method (the review opens on the proposed method). */
const openStage1 = async () => {
  fireEvent.click(await screen.findByRole('button', { name: 'Review run 3' }));
  const table = await screen.findByRole('table', { name: 'Comparison of methods, run 3' });
  fireEvent.click(within(table).getByRole('button', { name: 'Stage 1: fine-tuned image model' }));
  return table;
};

const ids = (list: HTMLElement) =>
  [...list.querySelectorAll('li.gallery-item')].map((li) => Number(li.getAttribute('data-testid')!.slice(8)));

describe('RunReview', () => {
  it('compares every trained method and says what was skipped and why', async () => {
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Review run 3' }));
    const table = await screen.findByRole('table', { name: 'Comparison of methods, run 3' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual([
      'method-stage1_image',
      'method-proposed',
      'method-note_only',
    ]);
    // Test accuracy: stage 1 4/6, proposed 5/6, note only 3/6 (see fake-runs.ts).
    expect(within(table).getByTestId('method-stage1_image').textContent).toContain('66.7');
    expect(within(table).getByTestId('method-proposed').textContent).toContain('83.3');
    expect(within(table).getByTestId('method-note_only').textContent).toContain('50.0');
    expect(within(table).getByTestId('method-proposed').textContent).toContain(
      'fused (image + note + metadata)',
    );
    expect(screen.getByRole('list', { name: 'Skipped methods' }).textContent).toContain(
      'Metadata only skipped: no metadata column is left once label proxies are removed',
    );
    expect(screen.getByRole('list', { name: 'Notices' }).textContent).toContain(
      'metadata column "birads" left out',
    );
    expect(screen.queryByText(/Labels changed after this run started/)).toBeNull();
    // Intervals from main (run:intervals on test): six test images separate nothing, so no "best",
    // and the small test part is called out.
    await waitFor(() =>
      expect(within(table).getByTestId('method-proposed').textContent).toContain('[58.3–100.0]'),
    );
    expect(table.querySelectorAll('td.best')).toHaveLength(0);
    expect(screen.getByTestId('small-test-warning').textContent).toMatch(/only 6 images/);
  });

  it('lists exactly the images of a clicked confusion cell, on test or validation', async () => {
    setup();
    await openStage1();
    fireEvent.click(await screen.findByRole('button', { name: '1 images of malignant predicted as benign' }));
    const cell = screen.getByRole('list', { name: 'Images of the selected cell' });
    await waitFor(() => expect(ids(cell)).toEqual([10]));
    expect(within(cell).getByTestId('gallery-10').textContent).toMatch(
      /true malignant · predicted benign \(65 %\)/,
    );
    fireEvent.click(screen.getByRole('button', { name: '2 images of normal predicted as normal' }));
    await waitFor(() => expect(ids(cell)).toEqual([11, 12]));
    // Stage 1 on test calls image 10 benign and image 8 malignant: benign and malignant are each
    // 1 of 2 right in both directions, normal 2 of 2.
    const perClass = screen.getByRole('table', { name: 'Per class — test' });
    expect(within(perClass).getByTestId('class-benign').textContent).toBe('benign50.050.050.02');
    expect(within(perClass).getByTestId('class-normal').textContent).toBe('normal100.0100.0100.02');
    fireEvent.click(screen.getByRole('button', { name: 'Validation' }));
    fireEvent.click(await screen.findByRole('button', { name: '1 images of malignant predicted as normal' }));
    await waitFor(() => expect(ids(cell)).toEqual([4]));
    // Thumbnails come from the media route, like the catalog grid.
    expect(within(cell).getByRole('img', { name: 'Image 4' }).getAttribute('src')).toBe(
      'media/thumb/4?token=t0ken',
    );
  });

  it("shows the method's confident errors first, with the note, metadata and the other methods", async () => {
    const { fake } = setup();
    await openStage1();
    const wrong = screen.getByRole('list', { name: 'Misclassified images' });
    // Test errors only under the test split (image 4 is a validation error), each card tagged.
    await waitFor(() => expect(ids(wrong)).toEqual([8, 10]));
    expect(
      within(wrong)
        .getAllByTestId('split-tag')
        .map((t) => t.textContent),
    ).toEqual(['test', 'test']);
    expect(screen.getByRole('heading', { name: /Misclassified by .* on the test part/ }).textContent).toMatch(
      /\(2\)$/,
    );
    expect(calls(fake, 'run:predictions')).toContainEqual({
      runId: 3,
      method: 'stage1_image',
      split: 'test',
      wrongOnly: true,
      limit: 48,
      offset: 0,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Validation' }));
    await waitFor(() => expect(ids(wrong)).toEqual([4]));
    expect(within(wrong).getByTestId('split-tag').textContent).toBe('validation');
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(ids(wrong)).toEqual([8, 10]));
    const card = within(wrong).getByTestId('gallery-8');
    expect(card.textContent).toContain('Wrong by image alone, right once the note and metadata are fused');
    await waitFor(() => expect(card.textContent).toContain('age: 38'));
    expect(card.textContent).toContain('No note.');
    expect(within(card).getByRole('meter', { name: 'malignant 90 %' })).toBeTruthy();
  });

  it('ranks likely label errors by confident learning over held-out predictions', async () => {
    setup();
    await openStage1();
    const issues = screen.getByRole('list', { name: 'Likely label errors' });
    // Per-class thresholds 0.6 / 0.4125 / 0.825; images 4, 8 and 10 sit above another class's
    // threshold, ranked by margin −0.925, −0.85, −0.475 (worked out in fake-runs.ts's numbers).
    await waitFor(() => expect(ids(issues)).toEqual([4, 8, 10]));
    // Pooled over both held-out parts, each card says which one.
    expect(
      within(issues)
        .getAllByTestId('split-tag')
        .map((t) => t.textContent),
    ).toEqual(['validation', 'test', 'test']);
    expect(within(issues).getByTestId('gallery-4').textContent).toMatch(/given malignant · suggested normal/);
  });

  it('relabels from the review with the reviewer and reason, marks the run stale, and shows it in the history', async () => {
    const { fake, catalog } = setup();
    await openStage1();
    fireEvent.click(await screen.findByRole('button', { name: '1 images of malignant predicted as benign' }));
    const cell = screen.getByRole('list', { name: 'Images of the selected cell' });
    await waitFor(() => expect(ids(cell)).toEqual([10]));
    fireEvent.click(within(cell).getByRole('button', { name: 'Relabel image 10 as benign' }));
    await waitFor(() =>
      expect(calls(fake, 'catalog:setLabels')).toEqual([
        {
          imageId: 10,
          task: 'label',
          labels: ['benign'],
          user: 'alice',
          reason: 'review of run 3 (stage1_image)',
        },
      ]),
    );
    expect(catalog.labelsOf('label', 10)).toEqual(['benign']);
    expect((await within(cell).findByRole('status')).textContent).toBe('relabelled benign');
    expect(await screen.findByText(/Labels changed after this run started/)).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByTestId('run-row-3').textContent).toContain('labels changed since'),
    );

    fireEvent.click(within(cell).getByRole('button', { name: 'Open image 10' }));
    const dialog = await screen.findByRole('dialog');
    const history = await within(dialog).findByTestId('label-history');
    expect(history.textContent).toContain('malignant');
    expect(history.textContent).toContain('benign');
    expect(history.textContent).toContain('review of run 3 (stage1_image)');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a label that changed since the run and offers the other classes', async () => {
    const catalog = createFakeCatalog({ images: 12 });
    const runs = createFakeRuns(catalog);
    catalog.answers['catalog:setLabels']!({
      imageId: 4,
      task: 'label',
      labels: ['normal'],
      user: 'bob',
      reason: 'second opinion',
    });
    renderScreen(<TrainingScreen />, createFakeApi({ ...catalog.answers, ...runs.answers }).api);
    expect((await screen.findByTestId('run-row-3')).textContent).toContain('labels changed since');
    await openStage1();
    expect(await screen.findByText(/Labels changed after this run started/)).toBeTruthy();
    const issues = screen.getByRole('list', { name: 'Likely label errors' });
    const card = await within(issues).findByTestId('gallery-4');
    await waitFor(() => expect(card.textContent).toContain('now labelled normal'));
    expect(card.textContent).toContain('given malignant'); // what the run trained against
    const button = (name: string) => within(card).getByRole('button', { name }) as HTMLButtonElement;
    expect(button('Relabel image 4 as normal').disabled).toBe(true);
    expect(button('Relabel image 4 as malignant').disabled).toBe(false);
  });

  it('flags an image for review with the reason', async () => {
    const { fake, catalog } = setup();
    await openStage1();
    const wrong = screen.getByRole('list', { name: 'Misclassified images' });
    await waitFor(() => expect(ids(wrong)).toEqual([8, 10]));
    fireEvent.click(within(wrong).getByRole('button', { name: 'Flag image 8 for review' }));
    await waitFor(() =>
      expect(calls(fake, 'catalog:setFlag')).toEqual([
        { imageId: 8, flagged: true, user: 'alice', reason: 'review of run 3 (stage1_image)' },
      ]),
    );
    expect(catalog.flags.get(8)?.reason).toBe('review of run 3 (stage1_image)');
  });

  it('exports the validation report as HTML or CSV to the given path', async () => {
    const { fake } = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Review run 3' }));
    const button = await screen.findByRole('button', { name: 'Export report' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Save to (path on this computer)'), {
      target: { value: '/tmp/run-3.html' },
    });
    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'csv' } });
    fireEvent.click(button);
    expect(await screen.findByText('Report written: /tmp/run-3.csv (2048 bytes)')).toBeTruthy();
    expect(calls(fake, 'run:exportReport')).toEqual([{ runId: 3, path: '/tmp/run-3.csv', format: 'csv' }]);
  });

  it('fills the report path from a chosen folder where the shell has native dialogs', async () => {
    const catalog = createFakeCatalog();
    const info = catalog.answers['app:info']!({});
    const { fake } = setup({
      'app:info': () =>
        info.ok ? { ok: true, value: { ...(info.value as object), nativeDialogs: true } } : info,
      'app:chooseFiles': () => ({ ok: true, value: { paths: ['/home/me/reports'], cancelled: false } }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Review run 3' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Choose folder…' }));
    await waitFor(() =>
      expect((screen.getByLabelText('Save to (path on this computer)') as HTMLInputElement).value).toBe(
        '/home/me/reports/run-3-report.html',
      ),
    );
    expect(calls(fake, 'app:chooseFiles')).toEqual([
      { kind: 'folder', title: 'Folder for the validation report' },
    ]);
  });
});

describe('reportPathIn', () => {
  it('joins a folder and the run report name with the folder’s separator', () => {
    expect(reportPathIn('/home/me/', 3, 'csv')).toBe('/home/me/run-3-report.csv');
    expect(reportPathIn('C:\\Users\\me', 12, 'html')).toBe('C:\\Users\\me\\run-12-report.html');
  });
});
