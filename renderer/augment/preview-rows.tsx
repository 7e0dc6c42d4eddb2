import type { PreviewTile } from '../../shared/contract/index';
import { useMediaUrl } from '../catalog/media-url';
import { captionDrawn, describeDrawn } from './drawn-params';

/**
 * The preview, one row per image: the source image as stored in the catalog first, then its
 * augmented renderings, each captioned in words with its raw drawn parameters on demand.
 */
export const PreviewRows = ({ tiles }: { tiles: readonly PreviewTile[] }) => {
  const mediaUrl = useMediaUrl();
  const byImage = new Map<number, PreviewTile[]>();
  for (const t of tiles) byImage.set(t.imageId, [...(byImage.get(t.imageId) ?? []), t]);
  return (
    <div className="preview-rows">
      {[...byImage].map(([imageId, renderings]) => (
        <ul key={imageId} className="tile-grid" aria-label={`Image ${imageId}: source and renderings`}>
          <li className="tile source-tile">
            <img src={mediaUrl(imageId, 'thumb')} alt={`Image ${imageId}, source`} />
            <span className="tile-caption">Source (as stored)</span>
          </li>
          {renderings.map((t) => (
            <li key={t.index} className="tile">
              <img
                src={`data:image/png;base64,${t.pngBase64}`}
                alt={`Image ${t.imageId}, rendering ${t.index + 1}`}
                width={t.width}
                height={t.height}
              />
              <span className="tile-caption" data-testid="tile-caption">
                {captionDrawn(t.params)}
              </span>
              <details className="tile-raw">
                <summary>parameters</summary>
                <span className="tile-params" data-testid="tile-params">
                  {describeDrawn(t.params)}
                </span>
              </details>
            </li>
          ))}
        </ul>
      ))}
    </div>
  );
};
