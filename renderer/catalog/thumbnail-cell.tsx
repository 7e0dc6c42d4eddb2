import { memo } from 'react';
import type { ImageSummary, Suggestion } from '../../shared/contract/index';
import { percent } from '../assistant/assistant-text';
import { middleEllipsis } from '../components/short-path';
import type { MediaUrl } from './media-url';
import '../styles/thumbnail-marks.css';

/**
 * One tile of the catalog grid: the thumbnail with flag and note markers, the file's name without
 * its folders (cut in the middle: frames of one sweep differ at the end; the full path on hover)
 * and the current labels; an unlabeled image the assistant has a suggestion for shows it as a badge.
 */
export const ThumbnailCell = memo(function ThumbnailCell({
  row,
  mediaUrl,
  colourOf,
  suggestion = null,
}: {
  row: ImageSummary | undefined;
  mediaUrl: MediaUrl;
  colourOf: (name: string) => string;
  suggestion?: Pick<Suggestion, 'label' | 'p'> | null;
}) {
  if (!row) return <div className="thumb placeholder" aria-hidden="true" />;
  return (
    <div className="thumb">
      <img src={mediaUrl(row.id, 'thumb')} alt="" loading="lazy" decoding="async" draggable={false} />
      {suggestion && row.labels.length === 0 ? (
        <span
          className="thumb-suggestion"
          data-testid="suggestion-badge"
          title={`Assistant suggests ${suggestion.label} (${percent(suggestion.p)})`}
        >
          <span className="sr-only">suggested </span>
          {suggestion.label} {percent(suggestion.p)}
        </span>
      ) : null}
      {row.flagged || row.notePreview ? (
        <span className="thumb-markers">
          {row.flagged ? (
            <span className="thumb-marker flag" title="Flagged for review" data-testid="marker-flag">
              ⚑<span className="sr-only"> flagged</span>
            </span>
          ) : null}
          {row.notePreview ? (
            <span className="thumb-marker note" title={`Note: ${row.notePreview}`} data-testid="marker-note">
              ✎<span className="sr-only"> has a note</span>
            </span>
          ) : null}
        </span>
      ) : null}
      <div className="thumb-caption">
        <span className="thumb-file" title={row.file}>
          {middleEllipsis(row.file.split(/[\\/]/).pop() ?? row.file, 22)}
        </span>
        <span className="thumb-labels">
          {row.labels.length === 0 ? (
            <span className="muted">—</span>
          ) : (
            row.labels.map((l) => (
              <span key={l} className="label-tag" style={{ borderColor: colourOf(l), color: colourOf(l) }}>
                {l}
              </span>
            ))
          )}
        </span>
      </div>
    </div>
  );
});
