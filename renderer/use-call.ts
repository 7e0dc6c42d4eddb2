import { useCallback, useEffect, useState } from 'react';
import type { AppErrorShape, Result } from '../shared/contract/index';

export type CallState<T> =
  { status: 'loading' } | { status: 'ok'; value: T } | { status: 'error'; error: AppErrorShape };

/**
 * Runs a contract call on mount (and on `reload`) and keeps its Result as render state. Errors stay
 * data: the component shows them; nothing throws into React.
 */
export const useCall = <T>(run: () => Promise<Result<T>>): [CallState<T>, () => void] => {
  const [state, setState] = useState<CallState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    run().then(
      (result) => {
        if (live)
          setState(
            result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error },
          );
      },
      (error: unknown) => {
        if (live)
          setState({
            status: 'error',
            error: { code: 'INTERNAL', message: String((error as Error)?.message ?? error) },
          });
      },
    );
    return () => {
      live = false;
    };
    // `run` is a fresh closure on every render; reloading is explicit through `generation`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [state, reload];
};
