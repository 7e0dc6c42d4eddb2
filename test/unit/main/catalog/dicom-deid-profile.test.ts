import { describe, expect, it } from 'vitest';
import { BASIC_PROFILE_TAGS } from '../../../../main/catalog/dicom-deid-profile';
import { SAFE_TAGS } from '../../../../main/catalog/dicom-tags';
import { freshCatalog, importOptions, tempDir, writeFile } from './support/catalog-fixtures';
import { writeDicom } from './support/dicom-writer';

/** Tags the test writer already writes (patient, UIDs) or that belong to the file meta / command groups. */
const WRITTEN = new Set(['x00100010', 'x00100020', 'x00100030', 'x0020000d', 'x0020000e', 'x00080018']);
const extraTags = Object.keys(BASIC_PROFILE_TAGS).filter(
  (tag) => !WRITTEN.has(tag) && !/^x000[024]/.test(tag),
);
const secretOf = (tag: string): string => `SECRET-${tag.slice(1).toUpperCase()}`;

/** One DICOM carrying every Annex E basic-profile attribute with a distinct, findable value. */
const everyProfileTag = (): Buffer =>
  writeDicom({
    rows: 4,
    cols: 4,
    pixels: Buffer.alloc(16, 3),
    patientName: secretOf('x00100010'),
    patientId: secretOf('x00100020'),
    birthDate: secretOf('x00100030'),
    studyUid: secretOf('x0020000d'),
    seriesUid: secretOf('x0020000e'),
    extra: extraTags.map((tag) => ({
      group: Number.parseInt(tag.slice(1, 5), 16),
      element: Number.parseInt(tag.slice(5), 16),
      vr: 'LO',
      value: secretOf(tag),
    })),
  });

const importProfileFile = async (includeIdentifying: boolean) => {
  const root = tempDir('sonofuse-annexe-');
  writeFile(root, 'all-tags.dcm', everyProfileTag());
  const { catalog } = freshCatalog();
  const report = await catalog.import(importOptions({ source: root, dataset: 'd', includeIdentifying }));
  expect(report).toMatchObject({ imported: 1, errors: [] });
  const detail = catalog.image(1);
  catalog.close();
  return detail;
};

describe('DICOM PS3.15 Annex E basic profile', () => {
  it('covers the profile (600+ attributes) and shares no attribute with the safe technical set', () => {
    expect(Object.keys(BASIC_PROFILE_TAGS).length).toBeGreaterThan(600);
    expect(Object.keys(SAFE_TAGS).filter((tag) => tag in BASIC_PROFILE_TAGS)).toEqual([]);
    expect(new Set(Object.values(BASIC_PROFILE_TAGS)).size).toBe(Object.keys(BASIC_PROFILE_TAGS).length);
  });

  it('keeps every basic-profile attribute out of the catalog by default', async () => {
    const detail = await importProfileFile(false);
    const text = JSON.stringify(detail);
    const leaked = [...extraTags, ...WRITTEN].filter((tag) => text.includes(secretOf(tag)));
    expect(leaked).toEqual([]);
    expect(detail.metadata.map((m) => m.key).sort()).toEqual([
      'dicom_frames',
      'dicom_modality',
      'dicom_photometric',
    ]);
  });

  it('keeps every one of them, under its profile name, with includeIdentifying', async () => {
    const detail = await importProfileFile(true);
    const metadata = new Map(detail.metadata.map((m) => [m.key, m.value]));
    // Before: only 28 attributes were kept; now each of the ~590 written here is.
    const missing = extraTags.filter(
      (tag) => metadata.get(`dicom_${BASIC_PROFILE_TAGS[tag]}`) !== secretOf(tag),
    );
    expect(missing).toEqual([]);
    expect(metadata.get('dicom_patient_name')).toBe(secretOf('x00100010'));
    expect(detail.patient).toBe(secretOf('x00100020'));
  });

  it('leaves out a value over the metadata limit instead of failing the import', async () => {
    const root = tempDir('sonofuse-annexe-');
    const huge = 'C'.repeat(300_000);
    writeFile(
      root,
      'huge.dcm',
      writeDicom({
        rows: 4,
        cols: 4,
        pixels: Buffer.alloc(16, 3),
        extra: [
          { group: 0x0020, element: 0x4000, vr: 'UT', value: huge },
          { group: 0x0008, element: 0x1030, vr: 'LO', value: 'kept' },
        ],
      }),
    );
    const { catalog } = freshCatalog();
    const report = await catalog.import(
      importOptions({ source: root, dataset: 'd', includeIdentifying: true }),
    );
    expect(report).toMatchObject({ imported: 1, errors: [] });
    const metadata = new Map(catalog.image(1).metadata.map((m) => [m.key, m.value]));
    expect(metadata.has('dicom_image_comments')).toBe(false);
    expect(metadata.get('dicom_study_description')).toBe('kept');
    catalog.close();
  });
});
