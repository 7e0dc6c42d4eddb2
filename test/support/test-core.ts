import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendProbe } from '../../main/runtime/backend-probe';
import { createAppCore, type AppCore } from '../../main/contract-server/create-app-core';
import { createLogger } from '../../main/core/logger';

/** A fixed backend list so tests do not depend on what this machine has installed. */
export const fakeProbe: BackendProbe = {
  probe: () => [
    { name: 'electron', available: false, detail: 'not installed', version: null },
    { name: 'tfjs-node-gpu', available: false, detail: 'not installed', version: null },
    { name: 'tfjs-node', available: false, detail: 'not installed', version: null },
    { name: 'wasm', available: true, detail: 'present', version: '4.22.0' },
  ],
};

/** An app core on a fixed backend list and a fresh temporary catalog (never the user's data folder). */
export const createTestCore = (): AppCore =>
  createAppCore({
    shell: 'browser-host',
    probe: fakeProbe,
    version: '9.9.9',
    logger: createLogger({ minLevel: 'debug' }),
    catalogDbPath: join(mkdtempSync(join(tmpdir(), 'sonofuse-core-')), 'catalog.db'),
  });
