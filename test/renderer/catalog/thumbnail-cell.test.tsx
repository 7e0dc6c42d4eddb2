// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../shared/contract/index';
import { ThumbnailCell } from '../../../renderer/catalog/thumbnail-cell';
import { middleEllipsis } from '../../../renderer/components/short-path';
import { createMediaUrl } from '../../../renderer/catalog/media-url';

afterEach(cleanup);

const row = (over: Partial<ImageSummary>): ImageSummary => ({
  id: 3,
  datasetId: 1,
  file: 'Patient00168_Plane3_1_of_3_frame_0034.png',
  format: 'png',
  sourceFormat: 'png',
  width: 256,
  height: 256,
  frame: 0,
  sha256: 'a'.repeat(64),
  labels: [],
  patient: null,
  notePreview: null,
  labelVersion: 0,
  part: null,
  importedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('ThumbnailCell', () => {
  const cell = (r: ImageSummary) =>
    render(<ThumbnailCell row={r} mediaUrl={createMediaUrl(null)} colourOf={() => '#4fb3bf'} />);

  it('marks flagged images and images with a note (and nothing on a plain one)', () => {
    cell(row({ flagged: true, notePreview: 'cyst in the left ventricle' }));
    expect(screen.getByTestId('marker-flag').getAttribute('title')).toBe('Flagged for review');
    expect(screen.getByTestId('marker-note').getAttribute('title')).toBe('Note: cyst in the left ventricle');
    cleanup();
    cell(row({}));
    expect(screen.queryByTestId('marker-flag')).toBeNull();
    expect(screen.queryByTestId('marker-note')).toBeNull();
  });

  it('cuts long file names in the middle so the frame number at the end stays visible', () => {
    cell(row({}));
    const name = screen.getByTitle('Patient00168_Plane3_1_of_3_frame_0034.png');
    expect(name.textContent).toBe('Patient001…me_0034.png'); // 22 characters: 10 + … + 11
    cleanup();
    cell(row({ file: 'abdomen/phantom-abdomen-001_f2.png' }));
    expect(screen.getByTitle('abdomen/phantom-abdomen-001_f2.png').textContent).toBe(
      'phantom-ab…-001_f2.png',
    );
    expect(name.textContent!.endsWith('0034.png')).toBe(true);
    expect(middleEllipsis('short.png')).toBe('short.png');
    expect(middleEllipsis('abcdefghij', 5)).toBe('ab…ij');
  });
});
