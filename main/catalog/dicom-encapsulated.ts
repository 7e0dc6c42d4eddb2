import * as dicomNamespace from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import sharp from 'sharp';
import type { DicomFrame } from './dicom-native';
import { ImportFailure } from './import-failure';

// dicom-parser is a UMD bundle: under some loaders its functions sit on `default`.
const dicomParser = ((dicomNamespace as unknown as { default?: typeof dicomNamespace }).default ??
  dicomNamespace) as typeof dicomNamespace;

/**
 * Checks encapsulated (compressed) pixel data before any of it is copied: every fragment must lie
 * inside the file (dicom-parser records a fragment's claimed length as is, and joining fragments
 * allocates their summed claims), and offset-table entries must point inside the fragments.
 * Returns how many frames the fragments can hold: one per offset-table entry, else at most one per
 * fragment.
 */
export const encapsulatedFramesHeld = (ds: DataSet, pixel: Element): number => {
  const fragments = pixel.fragments ?? [];
  if (fragments.length === 0)
    throw new ImportFailure('corrupt', 'DICOM compressed pixel data has no fragments');
  let total = 0;
  fragments.forEach((fragment, i) => {
    if (fragment.position + fragment.length > ds.byteArray.length) {
      throw new ImportFailure(
        'corrupt',
        `DICOM pixel data fragment ${i + 1} claims ${fragment.length} bytes past the end of the file`,
      );
    }
    total += fragment.length + 8;
  });
  const table = pixel.basicOffsetTable ?? [];
  if (table.some((offset, i) => offset >= total || (i > 0 && offset <= table[i - 1]!)))
    throw new ImportFailure('corrupt', 'DICOM basic offset table points outside the pixel data');
  return table.length > 0 ? table.length : fragments.length;
};

/**
 * Decodes one JPEG (baseline/extended) frame. Its own header must give the file's rows × columns
 * (checked before decoding: a small JPEG claiming a huge size is refused, not expanded), and sharp
 * refuses anything over `maxPixels` anyway.
 */
export const decodeJpegFrame = async (
  ds: DataSet,
  pixel: Element,
  frame: number,
  frameCount: number,
  size: { rows: number; cols: number; maxPixels: number },
): Promise<DicomFrame> => {
  let bytes: Uint8Array;
  try {
    const fragments = pixel.fragments ?? [];
    if (frameCount === 1) {
      bytes = dicomParser.readEncapsulatedPixelDataFromFragments(ds, pixel, 0, fragments.length);
    } else {
      const table = pixel.basicOffsetTable?.length
        ? pixel.basicOffsetTable
        : dicomParser.createJPEGBasicOffsetTable(ds, pixel);
      bytes = dicomParser.readEncapsulatedImageFrame(ds, pixel, frame, table);
    }
  } catch (error) {
    throw new ImportFailure(
      'corrupt',
      `DICOM frame ${frame} cannot be read: ${String((error as Error).message ?? error).slice(0, 200)}`,
    );
  }
  const input = { failOn: 'error', limitInputPixels: size.maxPixels } as const;
  let header: sharp.Metadata;
  try {
    header = await sharp(bytes, input).metadata();
  } catch (error) {
    throw new ImportFailure(
      'corrupt',
      `DICOM JPEG frame ${frame} does not decode: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (header.width !== size.cols || header.height !== size.rows) {
    throw new ImportFailure(
      'corrupt',
      `DICOM JPEG frame ${frame} is ${header.width}×${header.height} but the file says ${size.cols}×${size.rows}`,
    );
  }
  try {
    const { data, info } = await sharp(bytes, input).raw().toBuffer({ resolveWithObject: true });
    const channels = info.channels >= 3 ? 3 : 1;
    const pixels =
      info.channels === channels
        ? data
        : await sharp(bytes, input)
            .removeAlpha()
            .toColourspace(channels === 3 ? 'srgb' : 'b-w')
            .raw()
            .toBuffer();
    return { frame, width: info.width, height: info.height, channels, pixels };
  } catch (error) {
    throw new ImportFailure(
      'corrupt',
      `DICOM JPEG frame ${frame} does not decode: ${(error as Error).message.split('\n')[0]}`,
    );
  }
};
