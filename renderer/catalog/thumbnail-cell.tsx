import { memo } from 'react';
import type { ImageSummary } from '../../shared/contract/index';
import type { MediaUrl } from './media-url';

/** One tile of the catalog grid: the thumbnail, the file name and the current labels. */
export const ThumbnailCell = memo(function ThumbnailCell({
  row,
  mediaUrl,
  colourOf,
}: {
  row: ImageSummary | undefined;
  mediaUrl: MediaUrl;
  colourOf: (name: string) => string;
}) {
  if (!row) return <div className="thumb placeholder" aria-hidden="true" />;
  return (
    <div className="thumb">
      <img src={mediaUrl(row.id, 'thumb')} alt="" loading="lazy" decoding="async" draggable={false} />
      <div className="thumb-caption">
        <span className="thumb-file" title={row.file}>
          {row.file}
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
