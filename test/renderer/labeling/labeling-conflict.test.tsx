// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LabelingScreen } from '../../../renderer/labeling/labeling-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const key = (k: string) =>
  act(async () => {
    fireEvent.keyDown(window, { key: k });
  });

/** The labeling view on image 1 (version 0); then another workstation labels it benign. */
const setup = async (kind: 'single' | 'multi' = 'single') => {
  const catalog = createFakeCatalog({ kind });
  const fake = createFakeApi(catalog.answers);
  renderScreen(<LabelingScreen onBack={() => {}} />, fake.api);
  await waitFor(() => expect(screen.getByTestId('current-file').textContent).toBe('img-001.png'));
  await waitFor(() => expect(fake.received.some((r) => r.channel === 'catalog:image')).toBe(true));
  catalog.writeElsewhere(1, ['benign'], 'A. Rossi', new Date(Date.now() - 120_000).toISOString());
  const writes = () =>
    fake.received
      .filter((r) => r.channel === 'catalog:setLabels')
      .map((r) => r.input as Record<string, unknown>);
  return { catalog, writes, emit: fake.emit };
};

describe('LabelingScreen: a label write another workstation beat', () => {
  it('asks: "labelled benign by A. Rossi 2 min ago"; Replace rewrites on the stored version', async () => {
    const { catalog, writes } = await setup();
    await key('2');
    await waitFor(() =>
      expect(screen.getByTestId('label-conflict-what').textContent).toBe(
        'img-001.png: labelled benign by A. Rossi 2 min ago. You chose malignant.',
      ),
    );
    expect(writes()[0]).toMatchObject({ imageId: 1, labels: ['malignant'], baseVersion: 0 });
    expect(catalog.labelsOf('label', 1)).toEqual(['benign']); // nothing overwritten
    expect(screen.queryByRole('button', { name: 'Label both' })).toBeNull(); // single-label task

    fireEvent.click(screen.getByRole('button', { name: 'Replace with malignant' }));
    await waitFor(() => expect(catalog.labelsOf('label', 1)).toEqual(['malignant']));
    expect(writes()[1]).toMatchObject({ imageId: 1, labels: ['malignant'], baseVersion: 1 });
    expect(catalog.versionOf('label', 1).version).toBe(2);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Keep theirs writes nothing more and leaves their label', async () => {
    const { catalog, writes } = await setup();
    await key('2');
    await waitFor(() => expect(screen.getByRole('dialog')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Keep theirs' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(writes()).toHaveLength(1);
    expect(catalog.labelsOf('label', 1)).toEqual(['benign']);
    expect(screen.getByTestId('labeling-notice').textContent).toBe('img-001.png: kept benign');
  });

  it('multi-label task: Label both writes the union on the stored version', async () => {
    const { catalog, writes } = await setup('multi');
    await key('2');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Label both' })).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Label both' }));
    await waitFor(() => expect(catalog.labelsOf('label', 1)).toEqual(['benign', 'malignant']));
    expect(writes()[1]).toMatchObject({ labels: ['benign', 'malignant'], baseVersion: 1 });
  });

  it('a change feed event for the shown image re-reads it: the next write is based on the new version', async () => {
    const { catalog, writes, emit } = await setup();
    await act(async () => emit('catalog:onChanged', { datasetId: 1, kind: 'labels', imageIds: [1] }));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /benign/ }).getAttribute('aria-pressed')).toBe('true'),
    );
    await key('2');
    await waitFor(() => expect(catalog.labelsOf('label', 1)).toEqual(['malignant']));
    expect(writes()).toEqual([expect.objectContaining({ labels: ['malignant'], baseVersion: 1 })]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
