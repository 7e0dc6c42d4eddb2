// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../../renderer/api-context';
import {
  UndoProvider,
  useUndo,
  type UndoOutcome,
  type UndoStack,
} from '../../../renderer/catalog/undo-stack';
import { WorkspaceProvider } from '../../../renderer/catalog/workspace';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';

afterEach(cleanup);

const mount = () => {
  const catalog = createFakeCatalog();
  const fake = createFakeApi(catalog.answers);
  const seen: { stack: UndoStack | null; outcomes: UndoOutcome[] } = { stack: null, outcomes: [] };
  const Probe = () => {
    seen.stack = useUndo();
    return null;
  };
  render(
    <ApiProvider value={fake.api}>
      <WorkspaceProvider initial={{ datasetId: 1, user: 'ann' }}>
        <UndoProvider>
          <Probe />
        </UndoProvider>
      </WorkspaceProvider>
    </ApiProvider>,
  );
  seen.stack!.onUndone((o) => seen.outcomes.push(o));
  const label = (imageId: number, cls: string) => {
    const r = catalog.answers['catalog:setLabels']!({
      imageId,
      task: 'label',
      labels: [cls],
      user: 'ann',
      reason: '',
    });
    const batchId = (r as { value: { batchId: number } }).value.batchId;
    seen.stack!.push({ batchId, description: `${imageId} ${cls}`, imageIds: [imageId] });
    return batchId;
  };
  const undoCalls = () => fake.received.filter((r) => r.channel === 'catalog:undo').map((r) => r.input);
  return { catalog, seen, label, undoCalls };
};

describe('UndoProvider: one undo for every screen', () => {
  it('undoes the newest entry first, a named batch out of order, then falls back to the catalog', async () => {
    const { catalog, seen, label, undoCalls } = mount();
    const a = label(1, 'benign');
    const b = label(2, 'normal');
    const c = label(3, 'malignant');
    await act(async () => void (await seen.stack!.undo(a)));
    expect(catalog.labelsOf('label', 1)).toEqual([]);
    expect(catalog.labelsOf('label', 3)).toEqual(['malignant']);
    await act(async () => void (await seen.stack!.undo()));
    expect(catalog.labelsOf('label', 3)).toEqual([]);
    await act(async () => void (await seen.stack!.undo()));
    expect(catalog.labelsOf('label', 2)).toEqual([]);
    // Nothing left in this window: the catalog's own most recent change of this labeller (none).
    await act(async () => void (await seen.stack!.undo()));
    expect(undoCalls()).toEqual([
      { user: 'ann', batchId: a },
      { user: 'ann', batchId: c },
      { user: 'ann', batchId: b },
      { user: 'ann' },
    ]);
    expect(seen.outcomes.map((o) => [o.entry?.description ?? null, o.undone])).toEqual([
      ['1 benign', 1],
      ['3 malignant', 1],
      ['2 normal', 1],
      [null, 0],
    ]);
  });
});
