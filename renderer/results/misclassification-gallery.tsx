import type { ReactNode } from 'react';
import { methodLabels, type RunMethod } from '../../shared/run/run-config';

/** One reviewed prediction: the image, what it is, what each method said. */
export interface GalleryItem {
  imageId: number;
  trueIndex: number;
  /** Probabilities of the selected method. */
  probs: number[];
  /** Predicted class index of every method that has a prediction for this image. */
  byMethod: Partial<Record<RunMethod, number>>;
  /** The clinical note; null when the image has none, undefined while it is not loaded yet. */
  note: string | null | undefined;
  metadata: Record<string, string | number | null>;
  /** A caption such as the file name. */
  caption?: string;
  /** The class to show against the true one; default the most probable (e.g. a label-issue suggestion). */
  shownClass?: number;
  /** The held-out part the prediction comes from; every card says it. */
  split?: 'validation' | 'test';
}

const argmax = (p: readonly number[]): number => p.reduce((best, v, i) => (v > p[best]! ? i : best), 0);

/** Most confident errors first: the ones a reviewer should look at before anything else. */
export const sortByConfidentError = (items: readonly GalleryItem[]): GalleryItem[] =>
  [...items].sort((a, b) => Math.max(...b.probs) - Math.max(...a.probs) || a.imageId - b.imageId);

/** "wrong by image alone, right once the note is fused" and the like, from the per-method predictions. */
export const disagreement = (item: GalleryItem): string | null => {
  const right = (m: RunMethod) => item.byMethod[m] !== undefined && item.byMethod[m] === item.trueIndex;
  const wrong = (m: RunMethod) => item.byMethod[m] !== undefined && item.byMethod[m] !== item.trueIndex;
  if (wrong('stage1_image') && right('proposed'))
    return 'Wrong by image alone, right once the note and metadata are fused';
  if (right('stage1_image') && wrong('proposed'))
    return 'Right by image alone, wrong once the note and metadata are fused';
  if (wrong('proposed') && right('note_only')) return 'The note alone gets it right';
  return null;
};

/**
 * The misclassification gallery of one method (or one confusion-matrix cell, or the likely label
 * errors): thumbnail, true and predicted class, per-class probability bars, note and metadata, how
 * other methods did, and optional per-item actions (relabel, flag).
 */
export const MisclassificationGallery = ({
  items,
  classes,
  method,
  thumbnailUrl,
  onOpen,
  label,
  terms = { truth: 'true', predicted: 'predicted' },
  actions,
  sort = true,
}: {
  items: readonly GalleryItem[];
  classes: readonly string[];
  method: RunMethod;
  thumbnailUrl: (imageId: number) => string;
  onOpen?: (imageId: number) => void;
  /** The list's accessible name; default "Misclassified by <method>". */
  label?: string;
  /** Words for the two classes, e.g. "given" / "suggested" for likely label errors. */
  terms?: { truth: string; predicted: string };
  actions?: (item: GalleryItem) => ReactNode;
  /** Most confident first (default); false keeps the given order (e.g. a label-issue ranking). */
  sort?: boolean;
}) => (
  <ol className="gallery" aria-label={label ?? `Misclassified by ${methodLabels[method]}`}>
    {(sort ? sortByConfidentError(items) : items).map((item) => {
      const predicted = item.shownClass ?? argmax(item.probs);
      const note = disagreement(item);
      const image = (
        <img
          src={thumbnailUrl(item.imageId)}
          alt={`Image ${item.imageId}`}
          loading="lazy"
          width={128}
          height={128}
        />
      );
      return (
        <li key={item.imageId} className="gallery-item" data-testid={`gallery-${item.imageId}`}>
          {onOpen ? (
            <button
              type="button"
              className="thumb-button"
              onClick={() => onOpen(item.imageId)}
              aria-label={`Open image ${item.imageId}`}
            >
              {image}
            </button>
          ) : (
            <div className="thumb-button">{image}</div>
          )}
          <div className="gallery-text">
            {item.split ? (
              <span className={`split-tag split-${item.split}`} data-testid="split-tag">
                {item.split}
              </span>
            ) : null}
            {item.caption ? (
              <div className="gallery-caption" title={item.caption}>
                {item.caption.split(/[\\/]/).pop()}
              </div>
            ) : null}
            <div>
              <span className="muted">{terms.truth}</span> <b>{classes[item.trueIndex]}</b> ·{' '}
              <span className="muted">{terms.predicted}</span>{' '}
              <b className={predicted === item.trueIndex ? 'right' : 'wrong'}>{classes[predicted]}</b> (
              {(item.probs[predicted]! * 100).toFixed(0)} %)
            </div>
            <ul className="prob-bars" aria-label="Class probabilities">
              {item.probs.map((p, c) => (
                <li key={classes[c]}>
                  <span className="prob-name">{classes[c]}</span>
                  <meter min={0} max={1} value={p} aria-label={`${classes[c]} ${(p * 100).toFixed(0)} %`} />
                  <span className="muted">{(p * 100).toFixed(0)} %</span>
                </li>
              ))}
            </ul>
            {note ? <div className="badge ok">{note}</div> : null}
            {item.note === undefined ? null : item.note ? (
              <p className="note-text">{item.note}</p>
            ) : (
              <p className="muted">No note.</p>
            )}
            {Object.keys(item.metadata).length > 0 ? (
              <p className="muted meta-line">
                {Object.entries(item.metadata)
                  .map(([k, v]) => `${k}: ${v ?? '—'}`)
                  .join(' · ')}
              </p>
            ) : null}
            {actions ? actions(item) : null}
          </div>
        </li>
      );
    })}
  </ol>
);
