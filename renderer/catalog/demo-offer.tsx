import { useState } from 'react';
import type { AppErrorShape } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { ErrorMessage } from '../components/error-message';

/**
 * The first-start offer of the built-in demo workspace: a SYNTHETIC fetal-phantom set generated
 * on this machine (no patient data) and imported into the catalog, so every screen can be tried.
 */
export const DemoOffer = ({ onInstalled }: { onInstalled: () => void }) => {
  const api = useApi();
  const [state, setState] = useState<{ kind: 'idle' | 'busy' } | { kind: 'error'; error: AppErrorShape }>({
    kind: 'idle',
  });
  const install = async (): Promise<void> => {
    setState({ kind: 'busy' });
    const result = await api.demo.install({});
    if (result.ok) onInstalled();
    else setState({ kind: 'error', error: result.error });
  };
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => void install()}
        disabled={state.kind === 'busy'}
      >
        {state.kind === 'busy' ? 'Generating the demo workspace…' : 'Load the synthetic demo workspace'}
      </button>
      {state.kind === 'error' ? <ErrorMessage error={state.error} onRetry={() => void install()} /> : null}
    </>
  );
};
