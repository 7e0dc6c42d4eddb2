/** What the reviewer did to one image in this review (shown on every card of that image). */
export interface ReviewMark {
  label?: string;
  flagged?: boolean;
}

/**
 * Relabel or flag one image from the review. The current label's button is disabled; a change made
 * here is announced on the card (the catalog records it in the image's history with the reason),
 * and so is a label that changed since the run (`now` differs from what the run trained against).
 */
export const ReviewActions = ({
  imageId,
  classes,
  given,
  now,
  mark,
  onRelabel,
  onFlag,
}: {
  imageId: number;
  classes: readonly string[];
  /** The label the run used. */
  given: string | null;
  /** The label in the catalog now, once read (undefined until then). */
  now: string | null | undefined;
  mark: ReviewMark | undefined;
  onRelabel: (imageId: number, label: string) => void;
  onFlag: (imageId: number) => void;
}) => {
  const current = mark?.label ?? (now === undefined ? given : now);
  return (
    <div className="review-actions">
      <span className="muted">Relabel as</span>
      {classes.map((c) => (
        <button
          key={c}
          type="button"
          className="button small"
          aria-label={`Relabel image ${imageId} as ${c}`}
          disabled={current === c}
          onClick={() => onRelabel(imageId, c)}
        >
          {c}
        </button>
      ))}
      <button
        type="button"
        className={mark?.flagged ? 'button small flagged' : 'button small'}
        aria-label={`Flag image ${imageId} for review`}
        disabled={mark?.flagged === true}
        onClick={() => onFlag(imageId)}
      >
        {mark?.flagged ? 'Flagged' : 'Flag'}
      </button>
      {mark?.label ? (
        <span role="status" className="badge ok">
          relabelled {mark.label}
        </span>
      ) : current !== given ? (
        <span className="badge warn">now labelled {current ?? 'nothing'}</span>
      ) : null}
    </div>
  );
};
