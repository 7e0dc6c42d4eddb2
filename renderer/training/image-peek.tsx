import { useState } from 'react';
import { useApi } from '../api-context';
import { useMediaUrl } from '../catalog/media-url';
import { ErrorMessage } from '../components/error-message';
import { ModalDialog } from '../components/modal-dialog';
import { ChangeHistory } from '../labeling/label-history';
import { useCall } from '../use-call';
import { SaliencyControls, SaliencyFigure, useSaliency } from './saliency-overlay';

/**
 * One image of the review at full size with its current labels, note, flag and label history
 * (read on open: the parent keys it by image and review revision, so a relabel made from the
 * review shows with its reason). With `saliency`, a Saliency toggle and class picker overlay the
 * run's Grad-CAM heat map. Escape closes it.
 */
export const ImagePeek = ({
  imageId,
  task,
  onClose,
  saliency,
}: {
  imageId: number;
  task: string;
  onClose: () => void;
  /** The run whose exported stage-1 model explains the image, and its classes. */
  saliency?: { runId: number; classes: readonly string[] };
}) => {
  const api = useApi();
  const media = useMediaUrl();
  const [detail] = useCall(() => api.catalog.image({ id: imageId, task }));
  const [heatOn, setHeatOn] = useState(false);
  const [heatClass, setHeatClass] = useState<number | null>(null);
  const heat = useSaliency(saliency?.runId ?? 0, imageId, heatOn && saliency !== undefined, heatClass);
  return (
    <ModalDialog labelledBy="peek-title" className="image-peek" onClose={onClose}>
      <div className="peek-header">
        <h2 id="peek-title">
          Image {imageId}
          {detail.status === 'ok' ? <span className="muted"> · {detail.value.file}</span> : null}
        </h2>
        {saliency ? (
          <SaliencyControls
            classes={saliency.classes}
            on={heatOn}
            onToggle={() => setHeatOn((v) => !v)}
            classIndex={heatClass}
            onClass={setHeatClass}
          />
        ) : null}
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="peek-body">
        {heatOn ? (
          <SaliencyFigure state={heat} imageId={imageId} />
        ) : (
          <img src={media(imageId, 'image')} alt={`Image ${imageId} at full size`} />
        )}
        <div className="peek-side">
          {detail.status === 'error' ? <ErrorMessage error={detail.error} /> : null}
          {detail.status === 'ok' ? (
            <>
              <dl className="facts compact">
                <dt>{task}</dt>
                <dd>{detail.value.labels.join(', ') || '—'}</dd>
                <dt>Flag</dt>
                <dd>{detail.value.flag ? detail.value.flag.reason : '—'}</dd>
                <dt>Note</dt>
                <dd>{detail.value.note ?? '—'}</dd>
              </dl>
              <ChangeHistory entries={detail.value.history} kind="label" title="Label history" />
            </>
          ) : null}
        </div>
      </div>
    </ModalDialog>
  );
};
