import type { ImportOptions } from '../../shared/contract/catalog';
import { BURNED_IN } from './burned-in-mask';
import { sha256Hex, type ContentStore } from './content-store';
import type { DicomImage } from './dicom-reader';
import type { DecodedFile } from './image-decoder';
import type { ImportEntry } from './import-entry';
import type { Repository } from './catalog-repository';

/** One entry ready to be written: read, hashed, decoded, not a duplicate. */
export interface ReadyEntry {
  entry: ImportEntry;
  sha256: string;
  bytes: number;
  decoded: DecodedFile;
}

export interface ChunkContext {
  repo: Repository;
  store: ContentStore;
  datasetId: number;
  taskId: number;
  importJobId: number;
  options: ImportOptions;
}

const dicomGroups = (
  repo: Repository,
  datasetId: number,
  dicom: DicomImage,
  sha256: string,
  pseudonymise: boolean,
) => {
  const key = (kind: 'patient' | 'exam' | 'source', prefix: string, value: string | null): string | null =>
    value === null ? null : pseudonymise ? repo.pseudonymGroupKey(datasetId, kind, prefix, value) : value;
  return {
    patient: key('patient', 'P', dicom.patientId),
    exam: key('exam', 'E', dicom.studyUid),
    // Frames of one cine are near-identical: they share a source group so a split keeps them together.
    source: key('source', 'S', dicom.seriesUid) ?? `F-${sha256.slice(0, 12)}`,
  };
};

const dicomMetadata = (dicom: DicomImage, includeIdentifying: boolean): Record<string, string> => {
  const out: Record<string, string> = { dicom_frames: String(dicom.frameCount) };
  for (const [name, value] of Object.entries(dicom.safeTags)) out[`dicom_${name}`] = value;
  if (includeIdentifying) {
    for (const [name, value] of Object.entries(dicom.identifyingTags)) {
      out[`dicom_${name}`] =
        /^\d{8}$/.test(value) && name.endsWith('date')
          ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}`
          : value;
    }
  }
  return out;
};

/**
 * Puts the files of a chunk into the managed store (before the transaction: a crash leaves at most
 * an unreferenced, content-addressed file), then writes every row of the chunk in ONE transaction:
 * groups, images, metadata, notes, labels and their history. Returns images written per entry.
 */
export const writeChunk = (ctx: ChunkContext, ready: readonly ReadyEntry[]): number[] => {
  const { repo, store, options } = ctx;
  const stored = ready.map(({ sha256, decoded }) =>
    decoded.images.map((image) => {
      const keepCopy = !options.referenceInPlace || image.sourceFormat === 'dicom';
      // A plain image's copy is named by the hash of what is stored (the file without its embedded
      // metadata unless the original was kept); `sha256` stays the source file's, for duplicates.
      // So is a masked DICOM frame's: the same file imported unmasked into another dataset must
      // not share its copy or thumbnail. The thumbnail takes the copy's name (catalog-images).
      const named =
        !keepCopy || (image.sourceFormat === 'dicom' && image.burnedIn !== BURNED_IN.masked)
          ? sha256
          : sha256Hex(image.storeBytes);
      if (image.thumbnail) store.put(store.thumbnailPath(named, image.frame), image.thumbnail);
      if (!keepCopy) return null;
      const relative = store.imagePath(named, image.frame, image.storeExt);
      store.put(relative, image.storeBytes);
      return relative;
    }),
  );
  const batchId = repo.nextBatchId();
  return ready.map(({ entry, sha256, bytes, decoded }, at) => {
    const dicom = decoded.dicom;
    const fromDicom = dicom
      ? dicomGroups(repo, ctx.datasetId, dicom, sha256, options.pseudonymise && !options.includeIdentifying)
      : null;
    // Manifest patient ids are stored as typed unless asked: then the same keyed pseudonym as DICOM's.
    const manifestPatient =
      entry.patient && options.pseudonymizePatientIds
        ? repo.pseudonymGroupKey(ctx.datasetId, 'patient', 'P', entry.patient)
        : entry.patient;
    const group = (kind: 'patient' | 'exam' | 'source', key: string | null | undefined): number | null =>
      key ? repo.ensureGroup(ctx.datasetId, kind, key) : null;
    const patientGroupId = group('patient', manifestPatient ?? fromDicom?.patient);
    const examGroupId = group('exam', entry.exam ?? fromDicom?.exam);
    const sourceGroupId = group('source', entry.sourceGroup ?? fromDicom?.source);
    const metadata = {
      ...(dicom ? dicomMetadata(dicom, options.includeIdentifying) : {}),
      ...entry.metadata,
    };
    decoded.images.forEach((image, i) => {
      const imageId = repo.insertImage({
        datasetId: ctx.datasetId,
        sha256,
        frame: image.frame,
        file: entry.file,
        originalPath: entry.path,
        storedPath: stored[at]![i]!,
        format: image.format,
        sourceFormat: image.sourceFormat,
        width: image.width,
        height: image.height,
        bytes,
        patientGroupId,
        examGroupId,
        sourceGroupId,
        importJobId: ctx.importJobId,
      });
      if (image.burnedIn) repo.markBurnedIn(imageId, image.burnedIn);
      for (const [key, value] of Object.entries(metadata)) repo.setMetadata(imageId, key, value);
      const history = {
        batchId,
        imageId,
        user: options.user,
        reason: `import ${ctx.importJobId}`,
        origin: 'import' as const,
      };
      if (entry.note) {
        repo.writeNote(imageId, entry.note, options.user);
        repo.appendHistory({ ...history, kind: 'note', taskId: null, from: null, to: entry.note });
      }
      if (entry.labels.length > 0) {
        repo.writeLabels(imageId, ctx.taskId, entry.labels);
        repo.appendHistory({
          ...history,
          kind: 'label',
          taskId: ctx.taskId,
          from: [],
          to: repo.labels(imageId, ctx.taskId),
        });
      }
    });
    return decoded.images.length;
  });
};
