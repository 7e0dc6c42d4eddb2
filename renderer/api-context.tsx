import { createContext, useContext } from 'react';
import type { SonoFuseApi } from '../shared/contract/index';

const ApiContext = createContext<SonoFuseApi | null>(null);

export const ApiProvider = ApiContext.Provider;

/** The contract API of this window (IPC in Electron, WebSocket in the browser, a fake in tests). */
export const useApi = (): SonoFuseApi => {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiProvider>');
  return api;
};
