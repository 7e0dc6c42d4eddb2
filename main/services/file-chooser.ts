import type { FileChoice, FileChoiceKind } from '../../shared/contract/app';
import { AppError } from '../../shared/contract/result';

/**
 * Picks files or a folder for the user. The desktop shell supplies one built on Electron's native
 * dialog (main/app/file-dialog.ts); every other shell uses {@link unsupportedFileChooser}, so the
 * renderer falls back to typing a path.
 */
export interface FileChooser {
  /** True when {@link FileChooser.choose} opens a real dialog. */
  readonly native: boolean;
  choose(request: { kind: FileChoiceKind; title?: string }): Promise<FileChoice>;
}

/** The chooser of shells without native dialogs: every call answers NOT_SUPPORTED. */
export const unsupportedFileChooser: FileChooser = {
  native: false,
  choose: () =>
    Promise.reject(
      new AppError('NOT_SUPPORTED', 'This shell has no native file dialog; type the path instead.'),
    ),
};
