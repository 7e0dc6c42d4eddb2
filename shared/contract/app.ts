import { z } from 'zod';
import { defineCall, defineEvent } from './define';

/** The compute backends SonoFuse knows about, in the order the trainer prefers them. */
export const BackendName = z.enum(['electron', 'tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm']);
export type BackendName = z.infer<typeof BackendName>;

export const BackendStatus = z.object({
  name: BackendName,
  available: z.boolean(),
  /** Why it is or is not usable, in words a user or IT person can act on. */
  detail: z.string(),
  version: z.string().nullable(),
});
export type BackendStatus = z.infer<typeof BackendStatus>;

export const AppInfo = z.object({
  name: z.literal('SonoFuse'),
  version: z.string(),
  /** Which process serves the contract: the Electron main process or the loopback host. */
  shell: z.enum(['electron', 'browser-host', 'cli']),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  electronVersion: z.string().nullable(),
  backends: z.array(BackendStatus),
  /** The catalog database file this process serves (null where there is none, e.g. `sonofuse info`). */
  catalogPath: z.string().nullable(),
  /** The workspace the catalog belongs to (`default` unless chosen). */
  workspace: z.string().nullable(),
  /** True where `app:chooseFiles` opens a native dialog (the desktop shell); elsewhere it answers NOT_SUPPORTED. */
  nativeDialogs: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;

export const LogEntry = z.object({
  time: z.string(),
  level: LogLevel,
  /** The service that wrote it, e.g. `host`, `catalog`, `trainer`. */
  source: z.string().max(64),
  /** Never patient data: services log ids and counts, not names, notes or paths of patient files. */
  message: z.string().max(2000),
});
export type LogEntry = z.infer<typeof LogEntry>;

/** What a native open dialog picks: a folder of images, a manifest CSV, or DICOM files. */
export const FileChoiceKind = z.enum(['folder', 'csv', 'dicom']);
export type FileChoiceKind = z.infer<typeof FileChoiceKind>;

export const FileChoice = z.object({
  /** Absolute paths chosen; empty when the user cancelled. */
  paths: z.array(z.string().min(1).max(4096)).max(10_000),
  cancelled: z.boolean(),
});
export type FileChoice = z.infer<typeof FileChoice>;

export const appCalls = {
  'app:info': defineCall({
    input: z.object({}).strict(),
    output: AppInfo,
    summary: 'Version, shell and which compute backends are present.',
  }),
  'app:recentLogs': defineCall({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(LogEntry),
    summary: 'The most recent log entries kept in memory (oldest first).',
  }),
  'app:chooseFiles': defineCall({
    input: z.object({ kind: FileChoiceKind, title: z.string().trim().min(1).max(200).optional() }).strict(),
    output: FileChoice,
    summary: 'Open a native file dialog (desktop shell only; NOT_SUPPORTED elsewhere).',
  }),
} as const;

export const appEvents = {
  'app:onLog': defineEvent({ payload: LogEntry, summary: 'A log entry from a main-process service.' }),
} as const;
