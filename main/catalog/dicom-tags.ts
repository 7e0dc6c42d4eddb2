/**
 * DICOM attributes the importer reads. Identifying attributes (after the PS3.15 basic
 * de-identification profile) are never copied into notes or metadata unless the user asks.
 */
export const IDENTIFYING_TAGS: Readonly<Record<string, string>> = {
  x00100010: 'patient_name',
  x00100020: 'patient_id',
  x00100021: 'issuer_of_patient_id',
  x00100030: 'patient_birth_date',
  x00100040: 'patient_sex',
  x00101010: 'patient_age',
  x00101000: 'other_patient_ids',
  x00101001: 'other_patient_names',
  x00101040: 'patient_address',
  x00102154: 'patient_telephone',
  x00080020: 'study_date',
  x00080021: 'series_date',
  x00080023: 'content_date',
  x00080030: 'study_time',
  x00080050: 'accession_number',
  x00080080: 'institution_name',
  x00080081: 'institution_address',
  x00080090: 'referring_physician',
  x00081050: 'performing_physician',
  x00081070: 'operators_name',
  x00081030: 'study_description',
  x0008103e: 'series_description',
  x00181000: 'device_serial_number',
  x00200010: 'study_id',
  x0020000d: 'study_instance_uid',
  x0020000e: 'series_instance_uid',
  x00080018: 'sop_instance_uid',
  x00204000: 'image_comments',
};

/** Technical attributes that identify nobody; copied into metadata as `dicom_<name>`. */
export const SAFE_TAGS: Readonly<Record<string, string>> = {
  x00080060: 'modality',
  x00080070: 'manufacturer',
  x00081090: 'model',
  x00180015: 'body_part',
  x00280004: 'photometric',
  x00181063: 'frame_time_ms',
  x00186031: 'transducer_type',
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
  pixelData: 'x7fe00010',
  patientId: 'x00100020',
  studyUid: 'x0020000d',
  seriesUid: 'x0020000e',
} as const;

export const TRANSFER_SYNTAX = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  explicitBig: '1.2.840.10008.1.2.2',
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
