import { BASIC_PROFILE_TAGS } from './dicom-deid-profile';

/**
 * Identifying attributes: the whole PS3.15 Annex E basic de-identification profile. They are never
 * copied into notes or metadata unless the user asks (`includeIdentifying`).
 */
export const IDENTIFYING_TAGS: Readonly<Record<string, string>> = BASIC_PROFILE_TAGS;

/** Technical attributes that identify nobody; copied into metadata as `dicom_<name>`. */
export const SAFE_TAGS: Readonly<Record<string, string>> = {
  x00080060: 'modality',
  x00080070: 'manufacturer',
  x00081090: 'model',
  x00180015: 'body_part',
  x00280004: 'photometric',
  x00181063: 'frame_time_ms',
  x00186031: 'transducer_type',
  x00280301: 'burned_in_annotation',
};

export const TAG = {
  transferSyntax: 'x00020010',
  samplesPerPixel: 'x00280002',
  photometric: 'x00280004',
  planarConfiguration: 'x00280006',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  bitsAllocated: 'x00280100',
  bitsStored: 'x00280101',
  pixelRepresentation: 'x00280103',
  windowCenter: 'x00281050',
  windowWidth: 'x00281051',
  rescaleIntercept: 'x00281052',
  rescaleSlope: 'x00281053',
  burnedInAnnotation: 'x00280301',
  pixelData: 'x7fe00010',
  patientId: 'x00100020',
  studyUid: 'x0020000d',
  seriesUid: 'x0020000e',
} as const;

export const TRANSFER_SYNTAX = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  explicitBig: '1.2.840.10008.1.2.2',
  deflatedLittle: '1.2.840.10008.1.2.1.99',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
} as const;

/** True when the bytes look like a DICOM Part 10 file (`DICM` after the 128-byte preamble). */
export const isDicom = (bytes: Uint8Array): boolean =>
  bytes.length >= 132 &&
  bytes[128] === 0x44 &&
  bytes[129] === 0x49 &&
  bytes[130] === 0x43 &&
  bytes[131] === 0x4d;
