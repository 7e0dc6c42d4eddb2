import { parseArgs } from 'node:util';
import { callChannels, eventChannels } from '../../../shared/contract/index';
import { createAppInfoService } from '../../services/app-info-service';
import { withWasmKernelDetail } from '../../engine/backend/wasm-kernel-probe';
import { createBackendProbe } from '../../runtime/backend-probe';
import { readVersion } from '../../runtime/package-info';
import { defaultCatalogPath } from '../../catalog/catalog-paths';
import { redactUrl } from '../../catalog-store/workspace-location';
import type { CliCommand } from '../command';

/**
 * `sonofuse info [--json] [--channels] [--db PATH|postgres://…]`: the same data as the `app:info`
 * call. The catalog is `--db` (else SONOFUSE_DB, else the local default); a postgres:// URL is
 * shown redacted (never its password).
 */
export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Version and which compute backends are present (same data as app:info).',
  usage: 'sonofuse info [--json] [--channels] [--db PATH|postgres://…]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        json: { type: 'boolean', default: false },
        channels: { type: 'boolean', default: false },
        db: { type: 'string' },
      },
      strict: true,
    });
    const info = createAppInfoService({
      version: readVersion(),
      shell: 'cli',
      probe: withWasmKernelDetail(createBackendProbe()),
      catalogPath: redactUrl(values.db || process.env.SONOFUSE_DB || defaultCatalogPath()),
    }).info();
    if (values.json) {
      io.out(
        JSON.stringify(values.channels ? { ...info, calls: callChannels, events: eventChannels } : info),
      );
      return 0;
    }
    io.out(`SonoFuse ${info.version} (node ${info.nodeVersion}, ${info.platform}-${info.arch})`);
    io.out(`Catalog: ${info.catalogPath}`);
    io.out('Backends:');
    for (const b of info.backends) {
      io.out(`  ${b.available ? 'yes' : 'no '}  ${b.name.padEnd(14)} ${b.version ?? '-'}  ${b.detail}`);
    }
    if (values.channels) {
      io.out(`Calls:  ${callChannels.join(', ')}`);
      io.out(`Events: ${eventChannels.join(', ')}`);
    }
    return 0;
  },
};
