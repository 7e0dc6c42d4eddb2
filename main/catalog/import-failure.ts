import type { ImportErrorCode } from '../../shared/contract/catalog';

/** A per-file import problem: becomes one line of the import report, never stops the import. */
export class ImportFailure extends Error {
  readonly code: ImportErrorCode;
  constructor(code: ImportErrorCode, reason: string) {
    super(reason);
    this.name = 'ImportFailure';
    this.code = code;
  }
}
