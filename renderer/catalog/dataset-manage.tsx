import { useState } from 'react';
import type { AppErrorShape } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { ErrorMessage } from '../components/error-message';
import { ModalDialog } from '../components/modal-dialog';
import { useWorkspace } from './workspace';

type Step = 'closed' | 'rename' | 'delete' | 'confirm-delete';

/**
 * Rename or delete the current dataset. Delete asks twice: first what it does (the dataset leaves
 * every list; images, labels and the audit trail stay in the catalog, marked deleted), then the
 * dataset's name typed again.
 */
export const DatasetManage = ({
  dataset,
  onChanged,
}: {
  dataset: { id: number; name: string; images: number };
  onChanged: () => void;
}) => {
  const api = useApi();
  const ws = useWorkspace();
  const [step, setStep] = useState<Step>('closed');
  const [name, setName] = useState('');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const close = (): void => {
    setStep('closed');
    setError(null);
  };
  const rename = async (): Promise<void> => {
    const r = await api.catalog.renameDataset({ datasetId: dataset.id, name: name.trim(), user: ws.user });
    if (!r.ok) return setError(r.error);
    close();
    onChanged();
  };
  const remove = async (): Promise<void> => {
    const r = await api.catalog.deleteDataset({ datasetId: dataset.id, confirmName: name, user: ws.user });
    if (!r.ok) return setError(r.error);
    close();
    ws.setDatasetId(null);
    onChanged();
  };
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => {
          setName(dataset.name);
          setStep('rename');
        }}
      >
        Rename…
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          setName('');
          setStep('delete');
        }}
      >
        Delete…
      </button>
      {step === 'rename' ? (
        <ModalDialog labelledBy="rename-title" onClose={close}>
          <h2 id="rename-title">Rename dataset “{dataset.name}”</h2>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) void rename();
            }}
          >
            <label className="field">
              <span>New name</span>
              <input type="text" value={name} required autoFocus onChange={(e) => setName(e.target.value)} />
            </label>
            {error ? <ErrorMessage error={error} /> : null}
            <div className="form-row">
              <button type="submit" className="button primary" disabled={!name.trim()}>
                Rename
              </button>
              <button type="button" className="button" onClick={close}>
                Cancel
              </button>
            </div>
          </form>
        </ModalDialog>
      ) : null}
      {step === 'delete' ? (
        <ModalDialog labelledBy="delete-title" onClose={close}>
          <h2 id="delete-title">Delete dataset “{dataset.name}”?</h2>
          <p>
            Its {dataset.images.toLocaleString('en')} images leave every list, split and run form, and the
            name becomes free. Nothing of the audit trail goes: the images, their labels and the history of
            every change stay in the catalog, marked deleted, and the delete is recorded with your name.
          </p>
          <div className="form-row">
            <button type="button" className="button danger" onClick={() => setStep('confirm-delete')}>
              Continue…
            </button>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
          </div>
        </ModalDialog>
      ) : null}
      {step === 'confirm-delete' ? (
        <ModalDialog labelledBy="confirm-delete-title" onClose={close}>
          <h2 id="confirm-delete-title">Type “{dataset.name}” to delete it</h2>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (name === dataset.name) void remove();
            }}
          >
            <label className="field">
              <span>Dataset name</span>
              <input type="text" value={name} autoFocus onChange={(e) => setName(e.target.value)} />
            </label>
            {error ? <ErrorMessage error={error} /> : null}
            <div className="form-row">
              <button type="submit" className="button danger" disabled={name !== dataset.name}>
                Delete dataset
              </button>
              <button type="button" className="button" onClick={close}>
                Cancel
              </button>
            </div>
          </form>
        </ModalDialog>
      ) : null}
    </>
  );
};
