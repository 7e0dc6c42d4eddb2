import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../shared/contract/index';
import type { CallState } from './use-call';

/**
 * Like `useCall`, but re-runs whenever `key` changes (a dataset id, a serialized filter). The last
 * good value stays visible while a new answer loads, so lists do not flash empty.
 */
export const useQuery = <T>(
  run: () => Promise<Result<T>>,
  key: string,
): [CallState<T>, () => void, boolean] => {
  const [state, setState] = useState<CallState<T>>({ status: 'loading' });
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run().then(
      (result) => {
        if (!live) return;
        setLoading(false);
        setState(
          result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error },
        );
      },
      (error: unknown) => {
        if (!live) return;
        setLoading(false);
        setState({
          status: 'error',
          error: { code: 'INTERNAL', message: String((error as Error)?.message ?? error) },
        });
      },
    );
    return () => {
      live = false;
    };
    // `run` is a fresh closure each render; `key` and `generation` say when to re-run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [state, reload, loading];
};
