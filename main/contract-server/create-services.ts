import type { AppInfo } from '../../shared/contract/index';
import { defaultCatalogPath } from '../catalog/catalog-paths';
import { createCatalogService, type CatalogService } from '../catalog/catalog-service';
import type { SecretStore } from '../catalog/pseudonym-keys';
import { withWasmKernelDetail } from '../engine/backend/wasm-kernel-probe';
import { createBackendProbe, type BackendProbe } from '../runtime/backend-probe';
import { readVersion } from '../runtime/package-info';
import { createAppInfoService, type AppInfoService } from '../services/app-info-service';
import { unsupportedFileChooser, type FileChooser } from '../services/file-chooser';
import { createJobRegistry, type JobRegistry } from '../core/job-registry';
import { createLogger, type Logger } from '../core/logger';
import type { EventHub } from './event-hub';
import { dirname } from 'node:path';
import { createAssistantService, type AssistantService } from '../assistant/assistant-service';
import { trainerFeatureSource } from '../assistant/feature-source';
import { trainerRunPredictor } from '../assistant/run-suggester';
import { createRunService, type RunService } from '../runs/run-service';
import { createTrainerSupervisor } from '../engine/trainer/trainer-supervisor';
import type { TrainerTransportFactory } from '../engine/trainer/trainer-transport';
import type { DepartmentWorkspace } from '../catalog-store/department-workspace';
import { redactUrl } from '../catalog-store/workspace-location';

/** Every long-lived service of one app instance. Built once by the composition root, never imported as a singleton. */
export interface Services {
  logger: Logger;
  appInfo: AppInfoService;
  jobs: JobRegistry;
  catalog: CatalogService;
  /** Two-stage runs (trainer processes) and their stored results. Opens the catalog on first use. */
  runs: RunService;
  /**
   * The labeling assistant (suggestions, queue, simulation) per dataset and task; built on first
   * use, then retrained in the background after each label change.
   */
  assistant: AssistantService;
  /** Native open dialogs where the shell has them (`app:chooseFiles`). */
  files: FileChooser;
  dispose(): Promise<void>;
}

export interface ServicesOptions {
  shell: AppInfo['shell'];
  logger?: Logger;
  probe?: BackendProbe;
  version?: string;
  /** Where services push contract events; set by the app core. */
  events?: EventHub;
  /** The catalog database; default `<data folder>/<workspace>/catalog.db`. Opened on first use. */
  catalogDbPath?: string;
  workspace?: string;
  /** How trainer processes start: Electron's utilityProcess in the app; default a Node child process. */
  trainerTransport?: TrainerTransportFactory;
  /** The desktop shell's native dialogs; other shells answer NOT_SUPPORTED. */
  files?: FileChooser;
  /** Where the catalog's pseudonym key is kept (the desktop app: the OS keystore); default 0600 key files. */
  secrets?: SecretStore;
  /**
   * A department workspace (shared PostgreSQL catalog + shared image store): `app:info` shows its
   * URL, redacted (never the password), instead of the local catalog path.
   */
  department?: DepartmentWorkspace;
}

export const createServices = (options: ServicesOptions): Services => {
  const logger = options.logger ?? createLogger();
  const workspace = options.workspace ?? 'default';
  const catalogDbPath = options.catalogDbPath ?? defaultCatalogPath(workspace);
  const files = options.files ?? unsupportedFileChooser;
  const appInfo = createAppInfoService({
    version: options.version ?? readVersion(),
    shell: options.shell,
    probe: options.probe ?? withWasmKernelDetail(createBackendProbe()),
    catalogPath: options.department ? redactUrl(options.department.url) : catalogDbPath,
    workspace,
    nativeDialogs: files.native,
  });
  const jobs = createJobRegistry({ emit: (job) => options.events?.emit('jobs:onUpdate', job) });
  const catalog = createCatalogService({
    dbPath: catalogDbPath,
    logger,
    jobs,
    secrets: options.secrets,
  });
  catalog.onImportProgress((p) => options.events?.emit('catalog:onImportProgress', p));
  catalog.onChanged((c) => options.events?.emit('catalog:onChanged', c));
  let runs: RunService | null = null;
  const runService = (): RunService => {
    if (!runs) {
      runs = createRunService({
        catalog,
        logger,
        jobs,
        supervisor: options.trainerTransport
          ? createTrainerSupervisor({ transport: options.trainerTransport })
          : undefined,
      });
      runs.onProgress((p) => options.events?.emit('run:onProgress', p));
      runs.onStatus((s) => options.events?.emit('run:onStatus', s));
    }
    return runs;
  };
  let assistant: AssistantService | null = null;
  const assistantService = (): AssistantService => {
    if (!assistant) {
      const workspaceDir = dirname(catalogDbPath);
      // Features (and a run model's predictions) in a trainer process: the app's transport where it has one.
      const supervisor = options.trainerTransport
        ? createTrainerSupervisor({ transport: options.trainerTransport })
        : undefined;
      assistant = createAssistantService({
        catalog,
        logger,
        jobs,
        workspaceDir,
        features: trainerFeatureSource({ workspaceDir, supervisor }),
        runs: trainerRunPredictor({ workspaceDir, supervisor }),
      });
      assistant.onUpdate((s) => options.events?.emit('assistant:onUpdate', s));
    }
    return assistant;
  };
  // Labels changed (an edit, undo, import, relabelled task or new split): the assistants of that
  // dataset retrain a moment later. Only assistants someone asked for exist.
  catalog.onChanged((c) => {
    if (assistant && c.datasetId !== null && c.kind !== 'notes' && c.kind !== 'flags')
      assistant.notifyLabelsChanged(c.datasetId);
  });
  return {
    logger,
    appInfo,
    jobs,
    catalog,
    get runs() {
      return runService();
    },
    get assistant() {
      return assistantService();
    },
    files,
    async dispose() {
      // Later services (trainer processes, catalog database) close here, in reverse order of creation.
      assistant?.dispose();
      await runs?.dispose();
      catalog.close();
    },
  };
};
