import type { BackendProbe } from '../../main/runtime/backend-probe';
import { createAppCore, type AppCore } from '../../main/contract-server/create-app-core';
import { createLogger } from '../../main/services/logger';

/** A fixed backend list so tests do not depend on what this machine has installed. */
export const fakeProbe: BackendProbe = {
  probe: () => [
    { name: 'electron', available: false, detail: 'not installed', version: null },
    { name: 'tfjs-node-gpu', available: false, detail: 'not installed', version: null },
    { name: 'tfjs-node', available: false, detail: 'not installed', version: null },
    { name: 'wasm', available: true, detail: 'present', version: '4.22.0' },
  ],
};

export const createTestCore = (): AppCore =>
  createAppCore({
    shell: 'browser-host',
    probe: fakeProbe,
    version: '9.9.9',
    logger: createLogger({ minLevel: 'debug' }),
  });
