import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createAppCore } from '../../contract-server/create-app-core';
import { startHost } from '../../host/http-host';
import { catalogMediaSource, createMediaRoute } from '../../host/media-route';
import { storeMediaSource } from '../../contract-server/store-catalog-handlers';
import { redactUrl } from '../../catalog-store/workspace-location';
import { sharedWorkspaceOf } from './shared-workspace';
import { createBackendProbe } from '../../runtime/backend-probe';
import { ensureBuilt, rendererOutDir } from '../../runtime/build-output';
import { openInLocalBrowser } from '../../runtime/open-browser';
import { projectRoot } from '../../runtime/package-info';
import { createLogger } from '../../core/logger';
import type { CliCommand } from '../command';

/** How long the address printed in the terminal stays valid (the user may need a moment to open it). */
const PRINTED_LAUNCH_TTL_MS = 10 * 60_000;

/**
 * The department workspace handed to the Electron process: in its environment, not its command
 * line, so a password in the URL never shows in the process title (`ps`, /proc/PID/cmdline).
 */
export const electronDepartmentEnv = (
  department: { url: string; storeDir: string } | undefined,
): Record<string, string> =>
  department ? { SONOFUSE_DB: department.url, SONOFUSE_STORE: department.storeDir } : {};

/**
 * `sonofuse start`: the Electron app when its binary is installed, otherwise (or with --browser)
 * the loopback host serving the same renderer and contract to a local browser.
 */
export const startCommand: CliCommand = {
  name: 'start',
  summary:
    'Start the app (Electron if installed, else the browser mode on 127.0.0.1); --db postgres://… --store DIR: a shared department workspace.',
  usage: 'sonofuse start [--browser] [--port N] [--no-open] [--rebuild] [--db postgres://… --store DIR]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        browser: { type: 'boolean', default: false },
        port: { type: 'string', default: '0' },
        'no-open': { type: 'boolean', default: false },
        rebuild: { type: 'boolean', default: false },
        /** A department catalog: postgres://…, with --store DIR (the shared images); desktop and browser mode. */
        db: { type: 'string' },
        store: { type: 'string' },
      },
      strict: true,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port must be 0-65535, got ${values.port}`);
    const root = projectRoot();
    const department = sharedWorkspaceOf(values.db, values.store);
    if (department) io.err(`Shared catalog ${redactUrl(department.url)}, images in ${department.storeDir}`);
    const electron = createBackendProbe()
      .probe()
      .find((b) => b.name === 'electron');

    if (!values.browser && electron?.available) {
      await ensureBuilt(root, { renderer: true, electron: true, force: values.rebuild, log: io.err });
      const binary = (await import('electron')).default as unknown as string;
      const child = spawn(binary, [root], {
        stdio: 'inherit',
        env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined, ...electronDepartmentEnv(department) },
      });
      return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
    }
    if (!values.browser)
      io.err(`Electron not available (${electron?.detail ?? 'not installed'}): starting the browser mode.`);

    await ensureBuilt(root, { renderer: true, electron: false, force: values.rebuild, log: io.err });
    const logger = createLogger({ write: (line) => io.err(line) });
    const core = createAppCore({ shell: 'browser-host', logger, department });
    const host = await startHost({
      core,
      rendererDir: rendererOutDir(root),
      port,
      routes: [
        createMediaRoute(() =>
          core.store && department
            ? storeMediaSource(core.store, department.storeDir)
            : catalogMediaSource(core.services),
        ),
      ],
    });
    // The printed address and the window's address carry different one-time launch codes; the
    // token never goes on a command line (readable in /proc) or into a URL the browser keeps.
    io.out(`SonoFuse browser mode: ${host.launchUrl(PRINTED_LAUNCH_TTL_MS)}`);
    io.out(
      'Open that address in a browser on this machine (it works only on 127.0.0.1, once, within 10 minutes; reloading the tab keeps working). Ctrl+C stops.',
    );
    const opened = values['no-open'] ? null : openInLocalBrowser(host.launchUrl());
    if (!values['no-open'])
      io.err(
        opened
          ? `Opened ${opened.browser} with a throwaway profile.`
          : 'No local browser window opened (no display or no Chromium found).',
      );
    return await new Promise<number>((resolve) => {
      const stop = (): void => {
        io.err('Stopping…');
        void Promise.all([host.close(), opened?.close()])
          .then(() => core.dispose())
          .then(() => resolve(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
