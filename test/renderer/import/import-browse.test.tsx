// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../shared/contract/index';
import { ImportScreen } from '../../../renderer/import/import-screen';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

const withDialogs = (native: boolean) => {
  const catalog = createFakeCatalog();
  const info = catalog.answers['app:info']!({}) as { ok: true; value: AppInfo };
  catalog.answers['app:info'] = () => ({ ok: true, value: { ...info.value, nativeDialogs: native } });
  return catalog;
};

describe('ImportScreen file dialog', () => {
  it('offers "Browse…" in the desktop shell and fills the path from the native dialog, by source kind', async () => {
    const catalog = withDialogs(true);
    const picked: Record<string, string> = { csv: '/data/busi/manifest.csv', folder: '/data/scans' };
    catalog.answers['app:chooseFiles'] = (input) => {
      const kind = (input as { kind: string }).kind;
      return { ok: true, value: { paths: picked[kind] ? [picked[kind]!] : [], cancelled: !picked[kind] } };
    };
    const fake = createFakeApi(catalog.answers);
    renderScreen(<ImportScreen />, fake.api);
    const path = screen.getByRole('textbox', { name: /Manifest file/ }) as HTMLInputElement;
    const browse = await screen.findByRole('button', { name: 'Browse…' });
    await act(async () => {
      fireEvent.click(browse);
    });
    await waitFor(() => expect(path.value).toBe('/data/busi/manifest.csv'));
    fireEvent.click(screen.getByRole('radio', { name: 'Folder' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Browse…' }));
    });
    await waitFor(() =>
      expect((screen.getByRole('textbox', { name: /Folder/ }) as HTMLInputElement).value).toBe('/data/scans'),
    );
    // A cancelled dialog leaves the path as it was.
    fireEvent.click(screen.getByRole('radio', { name: 'DICOM file' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Browse…' }));
    });
    expect((screen.getByRole('textbox', { name: /DICOM file/ }) as HTMLInputElement).value).toBe(
      '/data/scans',
    );
    expect(fake.received.filter((r) => r.channel === 'app:chooseFiles').map((r) => r.input)).toEqual([
      { kind: 'csv' },
      { kind: 'folder' },
      { kind: 'dicom' },
    ]);
  });

  it('shows no "Browse…" in browser mode, and hides it if the shell answers NOT_SUPPORTED', async () => {
    const browser = createFakeCatalog();
    renderScreen(<ImportScreen />, createFakeApi(browser.answers).api);
    await waitFor(() => expect(screen.getByRole('textbox', { name: /Manifest file/ })).toBeTruthy());
    await act(async () => {});
    expect(screen.queryByRole('button', { name: 'Browse…' })).toBeNull();
    cleanup();

    const claims = withDialogs(true); // says it has dialogs, but refuses: fall back to the path field
    renderScreen(<ImportScreen />, createFakeApi(claims.answers).api);
    const browse = await screen.findByRole('button', { name: 'Browse…' });
    await act(async () => {
      fireEvent.click(browse);
    });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Browse…' })).toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('textbox', { name: /Manifest file/ })).toBeTruthy();
  });
});
