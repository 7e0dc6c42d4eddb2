import { randomUUID } from 'node:crypto';

/**
 * Who runs an import: the process id plus a token drawn once per process, so a job row left by a
 * killed process is told apart from a live import even when a later process reuses the pid (common
 * in containers, where a re-run often gets the same small pid).
 */
export interface ImportOwner {
  pid: number;
  token: string;
}

const PROCESS_TOKEN = randomUUID();

/** The owner to record for an import this process starts. */
export const currentOwner = (): ImportOwner => ({ pid: process.pid, token: PROCESS_TOKEN });

/** Whether a process with this id exists (EPERM: it does, owned by another user). */
export const processExists = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Whether the process that recorded `owner` may still be running its import. A row without an
 * owner (written before owners were recorded) counts as stale: nothing can still be running it
 * once a catalog of this version is opened.
 */
export const ownerAlive = (
  owner: Partial<ImportOwner> | null | undefined,
  exists: (pid: number) => boolean = processExists,
): boolean => {
  if (!owner || typeof owner.pid !== 'number') return false;
  if (owner.pid === process.pid) return owner.token === PROCESS_TOKEN;
  return exists(owner.pid);
};
