// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../../renderer/api-context';
import { WorkspaceProvider, useWorkspace, type Workspace } from '../../../renderer/catalog/workspace';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';

beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

const mount = () => {
  const seen: { ws: Workspace | null } = { ws: null };
  const Probe = () => {
    seen.ws = useWorkspace();
    return null;
  };
  const catalog = createFakeCatalog({ userName: 'ann' });
  render(
    <ApiProvider value={createFakeApi(catalog.answers).api}>
      <WorkspaceProvider>
        <Probe />
      </WorkspaceProvider>
    </ApiProvider>,
  );
  return seen;
};

describe('Workspace (issue #16 items 3, 5, 13)', () => {
  it('remembers the label task per dataset, not one task for all', () => {
    const seen = mount();
    act(() => seen.ws!.setDatasetId(1));
    act(() => seen.ws!.setTask('planes'));
    act(() => seen.ws!.setDatasetId(2));
    expect(seen.ws!.task).toBe('label');
    act(() => seen.ws!.setTask('organs'));
    act(() => seen.ws!.setDatasetId(1));
    expect(seen.ws!.task).toBe('planes');
    cleanup();
    // After a reload too.
    const again = mount();
    expect(again.ws!.datasetId).toBe(1);
    expect(again.ws!.task).toBe('planes');
  });

  it('keeps a position per dataset and task across a reload', () => {
    const seen = mount();
    act(() => seen.ws!.setPosition(1, 'label', { index: 24, imageId: 25 }));
    act(() => seen.ws!.setPosition(2, 'label', { index: 3, imageId: 900 }));
    cleanup();
    const again = mount();
    expect(again.ws!.position(1, 'label')).toEqual({ index: 24, imageId: 25 });
    expect(again.ws!.position(2, 'label')).toEqual({ index: 3, imageId: 900 });
    expect(again.ws!.position(1, 'other')).toBeNull();
  });

  it("takes the labeller's name from the catalog settings, with no default", async () => {
    const seen = mount();
    expect(seen.ws!.user).toBe('');
    await act(async () => {});
    expect(seen.ws!.user).toBe('ann');
    expect(seen.ws!.userLoaded).toBe(true);
  });
});
