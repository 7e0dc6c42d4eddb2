import type { BurnedInMask, BurnedInPolicy } from '../../shared/contract/catalog';
import { detectSector } from '../augment/sector-detect';
import type { DicomFrame } from './dicom-native';
import { ImportFailure } from './import-failure';

/** How an import treats images whose file declares burned-in annotation. */
export interface BurnedInHandling {
  policy: BurnedInPolicy;
  /** The dataset's stored rectangle; when set, 'mask-band' blacks out this instead of the detected band. */
  mask: BurnedInMask | null;
}

/** What an image's `burned_in` column records (see migration 0009). */
export const BURNED_IN = { none: 0, warned: 1, masked: 2 } as const;
export type BurnedInState = (typeof BURNED_IN)[keyof typeof BURNED_IN];

const blackRect = (frame: DicomFrame, x0: number, y0: number, x1: number, y1: number): void => {
  const c = frame.channels;
  for (let y = y0; y < y1; y++) frame.pixels.fill(0, (y * frame.width + x0) * c, (y * frame.width + x1) * c);
};

/**
 * Rows above the scan sector: the header band where scanners burn in names, ids and dates. Uses
 * the augmentation's sector detector; null when no sector is found or it starts at the top row.
 */
export const textBandRows = (frame: DicomFrame): number | null => {
  const sector = detectSector({
    data: frame.pixels,
    width: frame.width,
    height: frame.height,
    channels: frame.channels,
  });
  if (!sector.found) return null;
  const rows = Math.floor(sector.bbox.y0 * frame.height);
  return rows > 0 ? rows : null;
};

/**
 * Applies the burned-in policy to one decoded frame, in place, before anything is encoded or
 * stored: 'warn' keeps the pixels, 'skip' fails the file, 'mask-band' blacks out the dataset's
 * rectangle (clipped to the frame) or else the rows above the detected sector, and fails the file
 * when neither can be found (an unmasked frame is never stored under 'mask-band').
 */
export const applyBurnedIn = (frame: DicomFrame, handling: BurnedInHandling): BurnedInState => {
  if (handling.policy === 'warn') return BURNED_IN.warned;
  if (handling.policy === 'skip') {
    throw new ImportFailure(
      'burned-in',
      'DICOM declares burned-in annotation (names or dates in the pixels); skipped as asked',
    );
  }
  const { mask } = handling;
  if (mask) {
    const x0 = Math.min(frame.width, Math.max(0, mask.x));
    const y0 = Math.min(frame.height, Math.max(0, mask.y));
    const x1 = Math.min(frame.width, Math.max(0, mask.x + mask.w));
    const y1 = Math.min(frame.height, Math.max(0, mask.y + mask.h));
    if (x1 <= x0 || y1 <= y0) {
      throw new ImportFailure(
        'burned-in',
        `the dataset's mask rectangle lies outside this ${frame.width}×${frame.height} image`,
      );
    }
    blackRect(frame, x0, y0, x1, y1);
    return BURNED_IN.masked;
  }
  const rows = textBandRows(frame);
  if (rows === null) {
    throw new ImportFailure(
      'burned-in',
      'DICOM declares burned-in annotation but no text band above the scan sector was found; set a mask rectangle for the dataset',
    );
  }
  blackRect(frame, 0, 0, frame.width, rows);
  return BURNED_IN.masked;
};
