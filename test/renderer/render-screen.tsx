import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { SonoFuseApi } from '../../shared/contract/index';
import { ApiProvider } from '../../renderer/api-context';
import { BrowseProvider } from '../../renderer/catalog/browse-context';
import { createMediaUrl, MediaProvider } from '../../renderer/catalog/media-url';
import { UndoProvider } from '../../renderer/catalog/undo-stack';
import { WorkspaceProvider } from '../../renderer/catalog/workspace';

/** Renders a screen inside the providers the app gives it (API, media URLs, workspace, browse list). */
export const renderScreen = (ui: ReactNode, api: SonoFuseApi) => {
  window.localStorage.clear();
  return render(
    <ApiProvider value={api}>
      <MediaProvider value={createMediaUrl('t0ken')}>
        <WorkspaceProvider initial={{ datasetId: 1, task: 'label', user: 'alice' }}>
          <UndoProvider>
            <BrowseProvider>{ui}</BrowseProvider>
          </UndoProvider>
        </WorkspaceProvider>
      </MediaProvider>
    </ApiProvider>,
  );
};
