import { beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  focused: null as object | null,
  answer: { canceled: false, filePaths: [] as string[] },
  calls: [] as unknown[][],
}));

vi.mock('electron', () => ({
  BrowserWindow: { getFocusedWindow: () => fake.focused },
  dialog: {
    showOpenDialog: vi.fn(async (...args: unknown[]) => {
      fake.calls.push(args);
      return fake.answer;
    }),
  },
}));

const { createNativeFileChooser, dialogOptions } = await import('../../../../main/app/file-dialog');

describe('native file dialog', () => {
  beforeEach(() => {
    fake.calls.length = 0;
    fake.focused = null;
  });

  it('asks for a directory, one CSV, or one DICOM file', () => {
    expect(dialogOptions('folder').properties).toEqual(['openDirectory']);
    expect(dialogOptions('csv')).toMatchObject({
      properties: ['openFile'],
      filters: [{ extensions: ['csv'] }, { extensions: ['*'] }],
    });
    expect(dialogOptions('dicom')).toMatchObject({
      properties: ['openFile'],
      filters: [{ extensions: ['dcm', 'dicom'] }, { extensions: ['*'] }],
    });
    expect(dialogOptions('dicom', 'Pick cine loops').title).toBe('Pick cine loops');
  });

  it('returns the chosen paths, modal to the focused window when there is one', async () => {
    const chooser = createNativeFileChooser();
    expect(chooser.native).toBe(true);
    fake.answer = { canceled: false, filePaths: ['/data/a.dcm'] };
    fake.focused = { id: 7 };
    expect(await chooser.choose({ kind: 'dicom' })).toEqual({
      paths: ['/data/a.dcm'],
      cancelled: false,
    });
    expect(fake.calls[0]![0]).toEqual({ id: 7 });
    expect(fake.calls[0]![1]).toMatchObject({ title: 'Choose a DICOM file', properties: ['openFile'] });
  });

  it('reports a cancelled dialog with no paths', async () => {
    fake.answer = { canceled: true, filePaths: ['/ignored'] };
    expect(await createNativeFileChooser().choose({ kind: 'folder' })).toEqual({
      paths: [],
      cancelled: true,
    });
    expect(fake.calls[0]).toHaveLength(1); // no window focused: an app-modal dialog
  });
});
