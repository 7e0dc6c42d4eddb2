import type { AppInfo } from '../../shared/contract/index';
import type { BackendProbe } from '../runtime/backend-probe';

export interface AppInfoService {
  info(): AppInfo;
}

export interface AppInfoDeps {
  version: string;
  shell: AppInfo['shell'];
  probe: BackendProbe;
  electronVersion?: string | null;
  /** The catalog database this process serves, shown in the status bar. */
  catalogPath?: string | null;
  workspace?: string | null;
  /** Whether `app:chooseFiles` opens a native dialog here. */
  nativeDialogs?: boolean;
}

/** Answers `app:info`; the probe runs on every call so a freshly installed backend shows up. */
export const createAppInfoService = (deps: AppInfoDeps): AppInfoService => ({
  info: () => ({
    name: 'SonoFuse',
    version: deps.version,
    shell: deps.shell,
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    electronVersion: deps.electronVersion ?? process.versions.electron ?? null,
    backends: deps.probe.probe(),
    catalogPath: deps.catalogPath ?? null,
    workspace: deps.workspace ?? null,
    nativeDialogs: deps.nativeDialogs ?? false,
  }),
});
