import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron';
import type { FileChoiceKind } from '../../shared/contract/app';
import type { FileChooser } from '../services/file-chooser';

/** Dialog options per kind: a folder of images, one manifest CSV, or one DICOM file (an import takes one source). */
export const dialogOptions = (kind: FileChoiceKind, title?: string): OpenDialogOptions => {
  switch (kind) {
    case 'folder':
      return { title: title ?? 'Choose an image folder', properties: ['openDirectory'] };
    case 'csv':
      return {
        title: title ?? 'Choose a manifest',
        properties: ['openFile'],
        filters: [
          { name: 'Manifest (CSV)', extensions: ['csv'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
    case 'dicom':
      return {
        title: title ?? 'Choose a DICOM file',
        properties: ['openFile'],
        filters: [
          { name: 'DICOM', extensions: ['dcm', 'dicom'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
  }
};

/**
 * The desktop shell's {@link FileChooser}: Electron's native open dialog, modal to the focused
 * SonoFuse window when there is one. Only paths the user picked come back; nothing is read here.
 */
export const createNativeFileChooser = (): FileChooser => ({
  native: true,
  async choose({ kind, title }) {
    const options = dialogOptions(kind, title);
    const parent = BrowserWindow.getFocusedWindow();
    const result = parent
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options);
    return { paths: result.canceled ? [] : result.filePaths, cancelled: result.canceled };
  },
});
